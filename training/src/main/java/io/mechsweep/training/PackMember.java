package io.mechsweep.training;

import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.eval.EarlyStopping;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a pack while it trains: its batches and its progress, kept on the host. Public for
 * the pack's collaborators in other packages (checkpoints, the mimicking stage, listeners).
 */
public final class PackMember {
  private final MemberSpec spec;
  private final TrainSource.BatchStream batches;
  private final List<MetricRow> metrics = new ArrayList<>();
  private final List<EvalRow> evals = new ArrayList<>();
  private String failure;
  private double lastLoss = Double.NaN;
  private EarlyStopping stopping;
  private String extendedFrom; // run_id@step of the shorter run it continues, from its resumed checkpoint

  PackMember(MemberSpec spec, TrainSource.BatchStream batches, int patience) {
    this.spec = spec;
    this.batches = batches;
    this.stopping = new EarlyStopping(patience);
  }

  public MemberSpec spec() {
    return spec;
  }

  public String runId() {
    return spec.runId();
  }

  public TrainSource.BatchStream batches() {
    return batches;
  }

  /** Its curve so far, in step order; appended to as it trains. */
  public List<MetricRow> metrics() {
    return metrics;
  }

  /** Its evaluation rows so far, in step order; appended to as it is evaluated. */
  public List<EvalRow> evals() {
    return evals;
  }

  /**
   * Marks it failed with {@code reason}, frozen from now on; the first reason stands (a pack-wide
   * error after a member's own failure does not overwrite why it failed).
   */
  public void fail(String reason) {
    if (failure == null) {
      failure = reason;
    }
  }

  /** Why it failed; null while it has not. */
  public String failure() {
    return failure;
  }

  public double lastLoss() {
    return lastLoss;
  }

  public void lastLoss(double loss) {
    this.lastLoss = loss;
  }

  public EarlyStopping stopping() {
    return stopping;
  }

  public String extendedFrom() {
    return extendedFrom;
  }

  /**
   * Its progress as a checkpoint recorded it: curve, evaluations, early stopping rebuilt from
   * them, and the run it extends.
   */
  public void resumeFrom(List<MetricRow> curve, List<EvalRow> evaluations, int patience, String continues) {
    metrics.addAll(curve);
    evals.addAll(evaluations);
    if (!metrics.isEmpty()) {
      lastLoss = metrics.get(metrics.size() - 1).loss();
    }
    stopping = EarlyStopping.replay(patience, evals);
    extendedFrom = continues;
  }

  /** Still updated: neither failed nor stopped early (a stopped member keeps its parameters). */
  public boolean training() {
    return failure == null && !stopping.stopped();
  }

  /** Whether it stopped early at exactly {@code step}. */
  public boolean stoppedAt(int step) {
    return stopping.stopped() && stopping.stoppedAt() == step;
  }

  /** The step its result ends at: where it stopped early, else where the pack stopped. */
  int finalStep(int packStep) {
    return stopping.stopped() ? stopping.stoppedAt() : packStep;
  }

  /** Its result, the pack's attempt described by the arguments. */
  RunOutcome outcome(int packStep, int startStep, double seconds, double msPerStep, String device, int packSize) {
    return new RunOutcome(spec.runId(), failure == null ? RunOutcome.FINISHED : RunOutcome.FAILED, failure,
        finalStep(packStep), lastLoss, startStep, seconds, msPerStep, device, packSize, List.copyOf(metrics),
        List.copyOf(evals), extendedFrom);
  }
}
