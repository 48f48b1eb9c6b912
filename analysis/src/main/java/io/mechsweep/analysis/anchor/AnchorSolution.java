package io.mechsweep.analysis.anchor;

import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.training.eval.EvalRow;
import java.io.Serializable;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A run's solution type at one step, from its evaluation rows.
 *
 * @param seenAccuracy accuracy on the inferential pairs with held-out keys
 * @param inferentialAccuracy fraction of (4,3) answered x-10
 * @param symmetricAccuracy fraction of (4,3) answered x-6
 */
public record AnchorSolution(
    String runId,
    int step,
    SolutionType type,
    double seenAccuracy,
    double inferentialAccuracy,
    double symmetricAccuracy,
    double fitThreshold,
    double mappingThreshold)
    implements Serializable {

  /** Classifies from the rows of {@code step}; thresholds are the study's parameters. */
  public static AnchorSolution classify(
      String runId, int step, List<EvalRow> evals, double fitThreshold, double mappingThreshold) {
    double seen = value(evals, step, AnchorDataset.EVAL_SEEN_HELD_OUT_KEYS, EvalRow.ACCURACY);
    double inferential = value(evals, step, AnchorDataset.EVAL_UNSEEN_PAIR, EvalRow.ACCURACY);
    double symmetric =
        value(evals, step, AnchorDataset.EVAL_UNSEEN_PAIR,
            EvalRow.alternativeAccuracy(AnchorDataset.ALT_SYMMETRIC));
    SolutionType type;
    if (seen < fitThreshold) {
      type = SolutionType.NO_FIT;
    } else if (inferential >= mappingThreshold) {
      type = SolutionType.INFERENTIAL;
    } else if (symmetric >= mappingThreshold) {
      type = SolutionType.SYMMETRIC;
    } else {
      type = SolutionType.OTHER;
    }
    return new AnchorSolution(
        runId, step, type, seen, inferential, symmetric, fitThreshold, mappingThreshold);
  }

  private static double value(List<EvalRow> evals, int step, String set, String metric) {
    return find(evals, step, set, metric).orElseThrow(
        () -> new IllegalArgumentException("run has no " + metric + " on " + set + " at step " + step));
  }

  /** The bucket-"all" value of {@code metric} on {@code set} at {@code step}, if evaluated. */
  static OptionalDouble find(List<EvalRow> evals, int step, String set, String metric) {
    return evals.stream()
        .filter(r -> r.step() == step && r.evalSet().equals(set) && r.metric().equals(metric)
            && r.bucket().equals(EvalRow.ALL))
        .mapToDouble(EvalRow::value)
        .findFirst();
  }
}
