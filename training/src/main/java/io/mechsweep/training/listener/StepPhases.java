package io.mechsweep.training.listener;

import ai.djl.ndarray.NDManager;
import io.mechsweep.training.eval.MetricRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a pack's training steps spend their time, for {@code bench --profile}: PackStep and
 * PackBatch call {@link #lap} at the end of each phase of a training step, PackTrainer brackets
 * each evaluation. {@link #OFF}, what every trainer uses unless told otherwise, returns from each
 * call at once, so training that is not profiled pays one predictable branch per phase.
 *
 * <p>The laps are wall time, which on a CPU is each phase's own: libtorch's CPU operations finish
 * before the call returns. On a GPU, whose kernels run asynchronously, they would not be.
 *
 * <p>As the step's listener it also counts the tensors a step made (those alive in the manager
 * when its update is done, less those alive when it began), about the number of operations that
 * returned a tensor; the counting is left out of the laps.
 */
public final class StepPhases implements TrainingListener {
  /** A training step's phases, in the order they run. */
  public enum Phase {
    BATCH("batch: the members' batches drawn on the host"),
    COPY("host → tensor: arrays packed and copied in"),
    FORWARD("forward"),
    LOSS("loss: cross-entropy at the read positions"),
    BACKWARD("backward"),
    OPTIMIZER("gradient norms, clipping + AdamW"),
    STEP_END("step end: log-step read-back, tensors freed");

    public final String label;

    Phase(String label) {
      this.label = label;
    }
  }

  public static final StepPhases OFF = new StepPhases(false);

  private final boolean on;
  private final List<long[]> steps = new ArrayList<>();
  private final List<Integer> tensorsMade = new ArrayList<>();
  private final List<Long> evaluations = new ArrayList<>();
  /** The open step's nanoseconds per phase; null between steps (a mimicking update is not timed). */
  private long[] current;
  private long last;
  private NDManager manager;
  private int tensorsAtStart;
  private long evaluationStart;

  private StepPhases(boolean on) {
    this.on = on;
  }

  /** A recorder that keeps every step's laps and every evaluation's time. */
  public static StepPhases recording() {
    return new StepPhases(true);
  }

  /** A training step begins; its tensors are made in {@code manager} (or a scope over it). */
  public void beginStep(NDManager manager) {
    if (!on) {
      return;
    }
    this.manager = manager;
    tensorsAtStart = manager.getManagedArrays().size();
    current = new long[Phase.values().length];
    last = System.nanoTime();
  }

  /** {@code phase} of the open step is done: the time since the previous lap is its. */
  public void lap(Phase phase) {
    if (current == null) {
      return;
    }
    long now = System.nanoTime();
    current[phase.ordinal()] += now - last;
    last = now;
  }

  /** The open step is done: what is left since the last lap is its {@link Phase#STEP_END}. */
  public void endStep() {
    if (current == null) {
      return;
    }
    lap(Phase.STEP_END);
    steps.add(current);
    current = null;
  }

  @Override
  public void onUpdate(String stage, int done) {
    if (current == null || !MetricRow.TRAIN.equals(stage)) {
      return;
    }
    long before = System.nanoTime();
    tensorsMade.add(manager.getManagedArrays().size() - tensorsAtStart);
    last += System.nanoTime() - before; // the count is the profiler's cost, not the step's
  }

  public void beginEvaluation() {
    if (on) {
      evaluationStart = System.nanoTime();
    }
  }

  public void endEvaluation() {
    if (on) {
      evaluations.add(System.nanoTime() - evaluationStart);
    }
  }

  /**
   * @param msPerStep mean ms of each {@link Phase} over the steps summed (its ordinal indexes it)
   * @param tensorsPerStep mean tensors a step made
   * @param evaluationMs each evaluation's ms, in order (the one before training first)
   */
  public record Summary(int steps, double[] msPerStep, double tensorsPerStep, List<Double> evaluationMs) {
    public double ms(Phase phase) {
      return msPerStep[phase.ordinal()];
    }

    /** The phases together: what the profiler accounts for of a step. */
    public double totalMs() {
      return Arrays.stream(msPerStep).sum();
    }
  }

  /** The means over the steps after the first {@code skip} (the ones PackTrainer leaves out of ms/step too). */
  public Summary summary(int skip) {
    List<long[]> kept = steps.subList(Math.min(skip, steps.size()), steps.size());
    double[] ms = new double[Phase.values().length];
    for (long[] s : kept) {
      for (int p = 0; p < ms.length; p++) {
        ms[p] += s[p] / 1e6 / kept.size();
      }
    }
    List<Integer> counts = tensorsMade.subList(Math.min(skip, tensorsMade.size()), tensorsMade.size());
    double tensors = counts.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    return new Summary(kept.size(), ms, tensors, evaluations.stream().map(n -> n / 1e6).toList());
  }
}
