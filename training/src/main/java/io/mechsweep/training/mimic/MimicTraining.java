package io.mechsweep.training.mimic;

import ai.djl.ndarray.NDManager;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.PackBatch;
import io.mechsweep.training.PackMember;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackStep;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the mimicking pre-stage ({@link MimicStage}) of a pack: its own AdamW at a constant lr, no
 * weight decay, batches from a stream of its own so training's batches are the same with or
 * without it.
 */
public final class MimicTraining {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class); // the pack's log, as before
  /** Separates the mimicking stage's batch stream from training's (same member seed). */
  private static final long MIMIC_STREAM = 0x6D696D6963L;

  private MimicTraining() {}

  /** {@code steps} updates of every member still training toward {@code pack.mimic()}'s targets. */
  public static void run(PackSpec pack, TaskData data, PackStep update, PackedTransformer model,
      List<PackMember> members, NDManager manager, int steps) {
    MimicStage stage = pack.mimic();
    TrainConfig tc = pack.train();
    AdamW adam = new AdamW(model.params(), tc.beta1(), tc.beta2(), tc.eps());
    List<TrainSource.BatchStream> streams = new ArrayList<>();
    for (PackMember m : members) {
      streams.add(data.train().variant(m.spec().dataVariant()).stream(m.spec().seed() ^ MIMIC_STREAM,
          tc.batchSize()));
    }
    int k = pack.size();
    for (int step = 0; step < steps; step++) {
      List<TokenTable> batches = new ArrayList<>(k);
      float[] lr = new float[k];
      for (int m = 0; m < k; m++) {
        batches.add(streams.get(m).batch(step));
        lr[m] = members.get(m).training() ? (float) stage.lr() : 0f;
      }
      PackBatch batch = PackBatch.of(batches);
      update.update(model, adam, members, MetricRow.MIMIC, step, lr, new float[k],
          () -> MimicLoss.of(model, batch.tokens(), k, batch.b(), data.seqLen(), manager));
    }
    for (PackMember m : members) {
      m.lastLoss(Double.NaN); // the next loss recorded is training's
    }
    LOG.info("pack {}: mimicking stage done ({} steps)", pack.packId(), steps);
  }
}
