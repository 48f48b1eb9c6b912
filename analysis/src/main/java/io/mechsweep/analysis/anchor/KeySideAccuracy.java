package io.mechsweep.analysis.anchor;

import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.training.eval.EvalRow;
import java.util.List;

/**
 * The unseen pair (4,3) by key side at one step: on keys of the training split (what the public
 * code reports as its {@code 43_xel}) and on held-out keys (the paper's text). NaN where the
 * dataset has no such rows (a study with no unseen-pair keys on that side).
 */
public record KeySideAccuracy(
    double inferentialTrainKeys, double symmetricTrainKeys, double inferentialHeldOutKeys,
    double symmetricHeldOutKeys) {

  public static KeySideAccuracy at(List<EvalRow> evals, int step) {
    String symmetric = EvalRow.alternativeAccuracy(AnchorDataset.ALT_SYMMETRIC);
    return new KeySideAccuracy(
        value(evals, step, AnchorDataset.EVAL_UNSEEN_PAIR_TRAIN_KEYS, EvalRow.ACCURACY),
        value(evals, step, AnchorDataset.EVAL_UNSEEN_PAIR_TRAIN_KEYS, symmetric),
        value(evals, step, AnchorDataset.EVAL_UNSEEN_PAIR_HELD_OUT_KEYS, EvalRow.ACCURACY),
        value(evals, step, AnchorDataset.EVAL_UNSEEN_PAIR_HELD_OUT_KEYS, symmetric));
  }

  private static double value(List<EvalRow> evals, int step, String set, String metric) {
    return AnchorSolution.find(evals, step, set, metric).orElse(Double.NaN);
  }
}
