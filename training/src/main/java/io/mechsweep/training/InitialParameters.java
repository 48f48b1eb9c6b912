package io.mechsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.checkpoint.EncoderInit;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.ModelConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every member's initial parameters: drawn from its init scheme and seed, with the encoder
 * replaced by a checkpoint's where the member names one. A member whose checkpoint cannot be
 * used fails with the reason; the others are unaffected.
 */
final class InitialParameters {
  private InitialParameters() {}

  static List<Map<String, float[]>> of(ModelConfig model, List<PackMember> members, RunStore store) {
    List<Map<String, float[]>> out = new ArrayList<>();
    for (PackMember m : members) {
      Map<String, float[]> drawn = GammaInitializer.member(model, m.spec().init(), m.spec().seed());
      SourceCheckpoint ref = m.spec().initFrom();
      if (ref != null) {
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
          if (store == null) {
            throw new IllegalArgumentException("initializing from checkpoint " + ref + " needs a run store");
          }
          int step = ref.step() == SourceCheckpoint.LATEST ? latestStep(store, ref.runId()) : ref.step();
          drawn = EncoderInit.apply(model, drawn, store.loadParams(ref.runId(), step, host), ref);
        } catch (IOException | RuntimeException e) {
          m.fail(e.getMessage().startsWith("cannot initialize") ? e.getMessage()
              : "cannot initialize from checkpoint " + ref + ": " + e.getMessage());
        }
      }
      out.add(drawn);
    }
    return out;
  }

  private static int latestStep(RunStore store, String runId) throws IOException {
    List<Integer> steps = store.completedSteps(runId);
    if (steps.isEmpty()) {
      throw new io.mechsweep.datagen.BadInputException("run " + runId + " has no complete checkpoint under " + store.root());
    }
    return Collections.max(steps);
  }
}
