package io.mechsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.listener.StepPhases;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.listener.TrainingListener;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One optimizer update of every member of a pack: backward from the members' losses, per-member
 * clipping and AdamW ({@link AdamW#update(io.mechsweep.training.model.ParameterSet, java.util.Map,
 * float[], float[], double)}), and on a log step the losses recorded, a non-finite one failing its
 * member. The loop decides which steps; the mimicking stage uses the same update.
 */
public final class PackStep {
  private final PackSpec pack;
  private final TrainingListener listener;
  private final StepPhases phases;

  public PackStep(PackSpec pack, TrainingListener listener) {
    this(pack, listener, StepPhases.OFF);
  }

  /** @param phases times each training step's phases ({@code bench --profile}); OFF does nothing */
  public PackStep(PackSpec pack, TrainingListener listener, StepPhases phases) {
    this.pack = pack;
    this.listener = listener;
    this.phases = phases;
  }

  /** Training step {@code step} (0-based): each member's own batch, its scheduled lr (0 once it stopped). */
  public void train(PackedTransformer model, AdamW adam, List<PackMember> members, int step, NDManager manager) {
    phases.beginStep(manager);
    int k = pack.size();
    float[] lr = new float[k];
    float[] wd = new float[k];
    List<TokenTable> batches = new ArrayList<>(k);
    for (int m = 0; m < k; m++) {
      PackMember member = members.get(m);
      batches.add(member.batches().batch(step));
      boolean active = member.training();
      lr[m] = active ? (float) pack.train().schedule().at(step, member.spec().peakLr()) : 0f;
      wd[m] = active ? (float) member.spec().weightDecay() : 0f;
    }
    PackBatch batch = PackBatch.of(batches);
    phases.lap(StepPhases.Phase.BATCH);
    update(model, adam, members, MetricRow.TRAIN, step, lr, wd, () -> batch.loss(model, manager, phases));
    phases.endStep();
  }

  /**
   * One update from the members' loss {@code (K,)}, which {@code loss} computes with gradient
   * recording on. The step's tensors live in a scope of their own, closed at its end.
   */
  public void update(PackedTransformer model, AdamW adam, List<PackMember> members, String stage, int step,
      float[] lr, float[] wd, Supplier<NDArray> loss) {
    try (NDScope scope = new NDScope()) {
      Autograd.record(true);
      NDArray lossPerMember = loss.get(); // (K,)
      Autograd.backward(lossPerMember.sum());
      Autograd.record(false);
      phases.lap(StepPhases.Phase.BACKWARD);
      NDArray norms = adam.update(model.params(), Autograd.gradients(model.params()), lr, wd,
          pack.train().clipNorm()); // clips a flat copy of the gradients, then updates
      Autograd.zeroGradients(model.params());
      phases.lap(StepPhases.Phase.OPTIMIZER);
      int done = step + 1;
      listener.onUpdate(stage, done);
      if (pack.train().isLogStep(done)) { // the only host read of a step, and only on log steps
        record(members, stage, done, lr, Tensors.floats(lossPerMember), Tensors.floats(norms));
      }
    }
  }

  private void record(List<PackMember> members, String stage, int done, float[] lr, float[] losses,
      float[] gradNorms) {
    for (int m = 0; m < members.size(); m++) {
      PackMember member = members.get(m);
      if (!member.training()) {
        continue;
      }
      if (!Float.isFinite(losses[m])) {
        double configuredLr = MetricRow.MIMIC.equals(stage) ? pack.mimic().lr() : member.spec().peakLr();
        member.fail(stage + " loss became " + losses[m] + " at step " + done + " (last finite loss "
            + member.lastLoss() + "); lr " + configuredLr + ", init " + member.spec().init());
        continue;
      }
      member.lastLoss(losses[m]);
      member.metrics().add(new MetricRow(member.runId(), stage, done, lr[m], losses[m], gradNorms[m]));
    }
  }
}
