package io.mechsweep.training.listener;

import io.mechsweep.training.PackMember;
import java.util.List;

/**
 * What a pack's training tells the rest as it goes, in the manner of DJL's TrainingListener:
 * early stopping, progress lines and the memory probe listen here rather than the loop keeping
 * fields for them. Every method does nothing unless overridden.
 */
public interface TrainingListener {
  /**
   * One optimizer update (training or mimicking) has been applied; the step's tensors are still
   * alive (its scope closes after this), so this is where the step's memory can be counted.
   *
   * @param stage {@code train} or {@code mimic} ({@link io.mechsweep.training.eval.MetricRow})
   * @param done the number of updates of that stage done, this one included
   */
  default void onUpdate(String stage, int done) {}

  /** A training step is complete: its update and, on an evaluation step, its evaluation. */
  default void onStep(StepEnd step) {}

  /** The members have been evaluated at {@code step} (0 before training); their rows are in {@link PackMember#evals}. */
  default void onEval(int step, List<PackMember> members) {}

  /**
   * @param step the steps done, this one included
   * @param startStep the step this attempt started at (a resumed pack's checkpoint, else 0)
   * @param msPerStep mean of the timed steps so far; NaN before the first
   * @param nowNanos {@link System#nanoTime()} once the step was complete
   * @param trainingSeconds since the training steps began, evaluation and checkpoints included
   */
  record StepEnd(int step, int startStep, boolean evalStep, double msPerStep, long nowNanos, double trainingSeconds,
      List<PackMember> members) {}

  /** Every listener of {@code listeners}, in order. */
  static TrainingListener all(List<TrainingListener> listeners) {
    List<TrainingListener> copy = List.copyOf(listeners);
    return new TrainingListener() {
      @Override
      public void onUpdate(String stage, int done) {
        copy.forEach(l -> l.onUpdate(stage, done));
      }

      @Override
      public void onStep(StepEnd step) {
        copy.forEach(l -> l.onStep(step));
      }

      @Override
      public void onEval(int step, List<PackMember> members) {
        copy.forEach(l -> l.onEval(step, members));
      }
    };
  }
}
