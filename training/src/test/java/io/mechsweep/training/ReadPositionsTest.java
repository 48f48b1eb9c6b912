package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.Evaluator;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Targets at several read positions with a loss mask (lego's chain, topics' masked tokens): the
 * logits read there, the masked loss and the per-slot evaluation.
 */
class ReadPositionsTest {
  private static final int T = 9;
  private static final int V = 30;
  private static final int C = 7;
  /** A bidirectional encoder with a narrower head than its vocabulary. */
  private static final ModelConfig ENCODER =
      new ModelConfig(V, C, T, 16, 32, 8, 2, 2, NormPlacement.PRE, false, Set.of(), true, Set.of());
  private static final long[] SEQ = {3, 14, 1, 2, 9, 27, 6, 8, 19};

  @Test
  void logitsAtTheLastPositionEqualTheShortcutAndEveryPositionEqualsTheFullOutput() {
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      ModelConfig causal = Fixtures.MODEL;
      PackedTransformer model = new PackedTransformer(causal,
          GammaInitializer.pack(causal, new double[] {0.3, 0.8}, new long[] {1, 2}, m));
      long[] two = new long[2 * T];
      for (int i = 0; i < 2 * T; i++) {
        two[i] = 20 + SEQ[i % T];
      }
      NDArray tokens = Tensors.of(m, two, new Shape(2, 1, T));
      float[] shortcut = Tensors.floats(model.logits(tokens)); // (2,1,C)
      float[] atLast = Tensors.floats(model.logitsAt(tokens, Tensors.of(m, new long[] {T - 1, T - 1}, new Shape(2, 1, 1))));
      assertThat(atLast).hasSameSizeAs(shortcut);
      for (int i = 0; i < shortcut.length; i++) {
        assertThat(atLast[i]).isCloseTo(shortcut[i], within(1e-5f));
      }
      // A causal model's output at position 4 does not depend on the tokens after it.
      long[] changed = two.clone();
      changed[7] = 21;
      changed[T + 8] = 22;
      NDArray at4 = Tensors.of(m, new long[] {4, 4}, new Shape(2, 1, 1));
      assertThat(Tensors.floats(model.logitsAt(Tensors.of(m, changed, new Shape(2, 1, T)), at4)))
          .containsExactly(Tensors.floats(model.logitsAt(tokens, at4)));
    }
  }

  @Test
  void theLossCoversOnlyTheMaskedInReadsAndPaddingReadsAreNeverScored() {
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      ParameterSet p = GammaInitializer.pack(ENCODER, new double[] {0.5}, new long[] {3}, m);
      PackedTransformer model = new PackedTransformer(ENCODER, p);
      int[] positions = {1, 4, 7};
      TokenTable reads = table(new int[] {2, 5, 0}, positions, new float[] {1, 1, 0});
      TokenTable otherUnmaskedTarget = table(new int[] {2, 5, 6}, positions, new float[] {1, 1, 0});
      TokenTable padded = table(new int[] {2, 5, -1}, positions, null);
      double loss = loss(model, reads, m);
      assertThat(loss(model, otherUnmaskedTarget, m)).as("a read outside the mask changes nothing").isEqualTo(loss);
      assertThat(loss(model, padded, m)).as("a negative target is padding").isEqualTo(loss);

      float[] logits = Tensors.floats(model.logitsAt(Tensors.of(m, SEQ, new Shape(1, 1, T)),
          Tensors.of(m, new long[] {1, 4, 7}, new Shape(1, 1, 3)))); // (1,1,3,C)
      double expected = (crossEntropy(logits, 0, 2) + crossEntropy(logits, 1, 5)) / 2;
      assertThat(loss).isCloseTo(expected, within(1e-5));

      EvalSet set = new EvalSet("chain", padded, new String[] {"all"}, new int[] {0}, Map.of(), false);
      int[] predicted = Evaluator.predict(model, padded, m)[0];
      assertThat(predicted).hasSize(3);
      List<EvalRow> rows = Evaluator.score("r", 0, set, predicted);
      assertThat(rows).filteredOn(r -> r.bucket().equals(EvalRow.ALL)).singleElement()
          .satisfies(r -> assertThat(r.n()).as("the padding read is not scored").isEqualTo(2));
      assertThat(rows).extracting(EvalRow::bucket).containsExactly("all", "read_1", "read_2", "read_3");
      assertThat(rows.get(3).n()).isZero();
      assertThat(rows.get(1).value()).isEqualTo(predicted[0] == 2 ? 1.0 : 0.0);
    }
  }

  @Test
  void aPaddingTargetAtTheLastPositionLeavesTheShortcutAndIsNotCounted() {
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      PackedTransformer model = new PackedTransformer(ENCODER,
          GammaInitializer.pack(ENCODER, new double[] {0.5}, new long[] {3}, m));
      int[] one = new int[T];
      int[] two = new int[2 * T];
      for (int i = 0; i < 2 * T; i++) {
        two[i] = (int) SEQ[i % T] + (i < T ? 0 : 1);
        if (i < T) {
          one[i] = two[i];
        }
      }
      double alone = loss(model, new TokenTable(T, one, new int[] {4}), m);
      assertThat(loss(model, new TokenTable(T, two, new int[] {4, -1}), m)).isCloseTo(alone, within(1e-6));
    }
  }

  private static TokenTable table(int[] targets, int[] positions, float[] mask) {
    int[] tokens = new int[T];
    for (int i = 0; i < T; i++) {
      tokens[i] = (int) SEQ[i];
    }
    return new TokenTable(T, targets.length, tokens, targets, positions, mask);
  }

  private static double loss(PackedTransformer model, TokenTable batch, NDManager m) {
    return Tensors.floats(PackBatch.of(List.of(batch)).loss(model, m))[0];
  }

  /** −log softmax(logits of read r)[target]. */
  private static double crossEntropy(float[] logits, int read, int target) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < C; c++) {
      max = Math.max(max, logits[read * C + c]);
    }
    double sum = 0;
    for (int c = 0; c < C; c++) {
      sum += Math.exp(logits[read * C + c] - max);
    }
    return -(logits[read * C + target] - max - Math.log(sum));
  }
}
