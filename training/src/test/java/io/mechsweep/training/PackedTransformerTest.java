package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import org.junit.jupiter.api.Test;

class PackedTransformerTest {
  private static final long[] SEQ = {20, 31, 1, 2, 44, 57, 63, 78, 99};

  @Test
  void causalAttentionNeverLooksAhead() {
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      ParameterSet p = GammaInitializer.pack(Fixtures.MODEL, new double[] {0.3}, new long[] {1}, m);
      PackedTransformer model = new PackedTransformer(Fixtures.MODEL, p);
      long[] changed = SEQ.clone();
      changed[5] = 21; // alter position 5 only
      PackedTransformer.Output a = model.forward(Tensors.of(m, SEQ, new Shape(1, 1, 9)), false, true);
      PackedTransformer.Output b = model.forward(Tensors.of(m, changed, new Shape(1, 1, 9)), false, true);

      float[] pattern = Tensors.floats(a.trace().get("blocks.0.attn.pattern")); // (1,1,1,9,9)
      for (int i = 0; i < 9; i++) {
        double rowSum = 0;
        for (int j = 0; j < 9; j++) {
          rowSum += pattern[i * 9 + j];
          if (j > i) {
            assertThat(pattern[i * 9 + j]).as("query %d key %d", i, j).isZero();
          }
        }
        assertThat(rowSum).isCloseTo(1.0, within(1e-5));
      }
      float[] ra = Tensors.floats(a.trace().get("blocks.1.resid_post")); // (1,1,9,16)
      float[] rb = Tensors.floats(b.trace().get("blocks.1.resid_post"));
      for (int pos = 0; pos < 9; pos++) {
        float[] x = java.util.Arrays.copyOfRange(ra, pos * 16, pos * 16 + 16);
        float[] y = java.util.Arrays.copyOfRange(rb, pos * 16, pos * 16 + 16);
        if (pos < 5) {
          assertThat(y).as("position %d precedes the change", pos).containsExactly(x);
        } else {
          assertThat(y).as("position %d sees the change", pos).isNotEqualTo(x);
        }
      }
    }
  }

  @Test
  void lastPositionShortcutGivesTheFullForwardsLogits() {
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      ParameterSet p = GammaInitializer.pack(Fixtures.MODEL, new double[] {0.3, 0.8}, new long[] {1, 2}, m);
      PackedTransformer model = new PackedTransformer(Fixtures.MODEL, p);
      long[] two = new long[18];
      System.arraycopy(SEQ, 0, two, 0, 9);
      System.arraycopy(SEQ, 0, two, 9, 9);
      NDArray tokens = Tensors.of(m, two, new Shape(2, 1, 9));
      float[] fast = Tensors.floats(model.forward(tokens, true, false).logits());
      float[] full = Tensors.floats(model.forward(tokens, false, false).logits());
      assertThat(fast).hasSize(2 * 201);
      for (int i = 0; i < fast.length; i++) {
        assertThat(fast[i]).isCloseTo(full[i], within(1e-5f));
      }
    }
  }
}
