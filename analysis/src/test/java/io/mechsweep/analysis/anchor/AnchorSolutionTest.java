package io.mechsweep.analysis.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mechsweep.training.eval.EvalRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorSolutionTest {
  private static List<EvalRow> evals(double seen, double inferential, double symmetric) {
    return List.of(
        new EvalRow("r", 100, "seen_heldout_keys", "accuracy", "all", seen, 1000),
        new EvalRow("r", 100, "unseen_pair", "accuracy", "all", inferential, 500),
        new EvalRow("r", 100, "unseen_pair", "symmetric_accuracy", "all", symmetric, 500),
        new EvalRow("r", 50, "seen_heldout_keys", "accuracy", "all", 0.1, 1000));
  }

  private static SolutionType type(double seen, double inferential, double symmetric) {
    return AnchorSolution.classify("r", 100, evals(seen, inferential, symmetric), 0.9, 0.5).type();
  }

  @Test
  void thresholdsDecideTheType() {
    assertThat(type(0.95, 0.97, 0.01)).isEqualTo(SolutionType.INFERENTIAL);
    assertThat(type(0.95, 0.02, 0.93)).isEqualTo(SolutionType.SYMMETRIC);
    assertThat(type(0.95, 0.30, 0.30)).isEqualTo(SolutionType.OTHER);
    assertThat(type(0.89, 0.99, 0.00)).as("fit comes first").isEqualTo(SolutionType.NO_FIT);
    assertThat(type(0.90, 0.50, 0.00)).as("thresholds are inclusive").isEqualTo(SolutionType.INFERENTIAL);
    AnchorSolution s = AnchorSolution.classify("r", 100, evals(0.95, 0.1, 0.8), 0.9, 0.5);
    assertThat(s.seenAccuracy()).isEqualTo(0.95);
    assertThat(s.fitThreshold()).isEqualTo(0.9);
  }

  @Test
  void aMissingEvaluationIsAnError() {
    assertThatThrownBy(() -> AnchorSolution.classify("r", 7, evals(1, 1, 0), 0.9, 0.5))
        .hasMessageContaining("no accuracy on seen_heldout_keys at step 7");
  }

  /** Step-100 rows of the unseen pair by key side; a NaN side is left out (no such keys). */
  private static List<EvalRow> keySides(double infTrain, double symTrain, double infHeld, double symHeld) {
    List<EvalRow> rows = new java.util.ArrayList<>();
    double[] values = {infTrain, symTrain, infHeld, symHeld};
    for (int i = 0; i < 4; i++) {
      if (!Double.isNaN(values[i])) {
        rows.add(new EvalRow("r", 100, i < 2 ? "unseen_pair_train_keys" : "unseen_pair_heldout_keys",
            i % 2 == 0 ? "accuracy" : "symmetric_accuracy", "all", values[i], 250));
      }
    }
    rows.add(new EvalRow("r", 50, "unseen_pair_train_keys", "accuracy", "all", 0.99, 250)); // another step
    return rows;
  }

  @Test
  void keySideAccuracyReadsItsStepAndIsNaNWhereTheDatasetHasNoSuchKeys() {
    KeySideAccuracy k = KeySideAccuracy.at(keySides(0.4, 0.5, Double.NaN, Double.NaN), 100);
    assertThat(k.inferentialTrainKeys()).isEqualTo(0.4);
    assertThat(k.symmetricTrainKeys()).isEqualTo(0.5);
    assertThat(k.inferentialHeldOutKeys()).isNaN();
    assertThat(KeySideAccuracy.at(keySides(0.4, 0.5, 0.1, 0.2), 50).symmetricTrainKeys()).isNaN();
  }

  @Test
  void summaryCellsAggregateSeeds() {
    AnchorSolution sym1 = AnchorSolution.classify("a", 100, evals(0.99, 0.0, 0.9), 0.9, 0.5);
    AnchorSolution sym2 = AnchorSolution.classify("b", 100, evals(0.97, 0.1, 0.7), 0.9, 0.5);
    AnchorSolution other = AnchorSolution.classify("c", 100, evals(0.98, 0.3, 0.2), 0.9, 0.5);
    List<AnchorSummary.RunResult> runs = List.of(
        new AnchorSummary.RunResult(2, 0.3, 1e-3, 0.01, 1, "finished", null, sym1,
            KeySideAccuracy.at(keySides(0.0, 1.0, 0.0, 0.8), 100)),
        new AnchorSummary.RunResult(2, 0.3, 1e-3, 0.01, 2, "finished", null, sym2,
            KeySideAccuracy.at(keySides(0.2, 0.6, 0.0, 0.8), 100)),
        new AnchorSummary.RunResult(2, 0.3, 1e-3, 0.01, 3, "finished", null, other,
            KeySideAccuracy.at(keySides(0.4, 0.2, Double.NaN, Double.NaN), 100)),
        new AnchorSummary.RunResult(2, 0.8, 1e-3, 0.01, 1, "failed", "loss became NaN at step 9", null, null));
    List<AnchorSummary.Cell> cells = AnchorSummary.cells(runs);
    assertThat(cells).hasSize(2);
    AnchorSummary.Cell c = cells.get(0);
    assertThat(c.types()).containsEntry("symmetric", 2).containsEntry("other", 1);
    assertThat(c.symmetric().mean()).isCloseTo(0.6, within(1e-12));
    assertThat(c.inferentialAhead()).as("only the third run answers x-10 more often than x-6").isEqualTo(1);
    assertThat(c.keySides().inferentialTrainKeys().mean()).isCloseTo(0.2, within(1e-12));
    assertThat(c.keySides().inferentialTrainKeys().n()).isEqualTo(3);
    assertThat(c.keySides().symmetricHeldOutKeys().n()).as("the third run has no held-out keys of (4,3)").isEqualTo(2);
    assertThat(c.keySides().symmetricHeldOutKeys().mean()).isCloseTo(0.8, within(1e-12));
    assertThat(cells.get(1).failed()).isEqualTo(1);
    assertThat(cells.get(1).majority()).isEqualTo("failed");
    assertThat(cells.get(1).keySides().inferentialTrainKeys().toString()).isEqualTo("-");
    String text = AnchorSummary.format("s", runs);
    assertThat(text).contains("other ×1, symmetric ×2").contains("0.60 ± 0.29").contains("1 of 3")
        .contains("loss became NaN at step 9")
        .contains("(4,3) by key side").containsPattern("0\\.010 +0\\.20 ± 0\\.16 +0\\.60 ± 0\\.33 +0\\.00 ± 0\\.00 +0\\.80 ± 0\\.00");
  }
}
