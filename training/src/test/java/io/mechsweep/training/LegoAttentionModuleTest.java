package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.mimic.AttentionTargets;
import io.mechsweep.training.model.AttentionPattern;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterLayout;
import io.mechsweep.training.model.ParameterSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The LEGO attention module's fixed heads attend by exactly their pattern and have no W_Q, W_K. */
class LegoAttentionModuleTest {
  /** Tokens with repeats (3 at 0, 4, 7; 5 at 2, 6) and tokens that occur once. */
  private static final int[] TOKENS = {3, 1, 5, 2, 3, 0, 5, 3, 4};
  private static final int T = TOKENS.length;

  private static final ModelConfig MODEL = new ModelConfig(6, 2, T, 16, 32, 8, 3, 2, NormPlacement.PRE, false,
      Set.of(), true, Set.of())
      .withFixedHeads(Map.of(0, List.of(AttentionPattern.ASSOCIATION, AttentionPattern.LOCAL),
          1, List.of(AttentionPattern.LOCAL, AttentionPattern.ASSOCIATION, AttentionPattern.LOCAL)));

  @Test
  void fixedHeadsComputeExactlyTheirPatternAndLearnedHeadsASoftmax() {
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      ParameterSet p = GammaInitializer.pack(MODEL, new double[] {0.5, 0.5}, new long[] {1, 2}, m);
      PackedTransformer model = new PackedTransformer(MODEL, p);
      long[] two = new long[2 * T];
      for (int i = 0; i < T; i++) {
        two[i] = TOKENS[i];
        two[T + i] = TOKENS[T - 1 - i]; // the second member reads the sequence reversed
      }
      PackedTransformer.Output out = model.forward(Tensors.of(m, two, new Shape(2, 1, T)), false, true);
      float[] layer0 = Tensors.floats(out.trace().get("blocks.0.attn.pattern")); // (2,1,3,T,T)
      float[] layer1 = Tensors.floats(out.trace().get("blocks.1.attn.pattern"));
      float[] local = AttentionTargets.localBand(T);
      for (int member = 0; member < 2; member++) {
        int[] seq = new int[T];
        for (int i = 0; i < T; i++) {
          seq[i] = (int) two[member * T + i];
        }
        float[] association = AttentionTargets.association(seq);
        assertThat(head(layer0, member, 1)).as("layer 0 head 1: association").containsExactly(association);
        assertThat(head(layer0, member, 2)).as("layer 0 head 2: local").containsExactly(local);
        assertThat(head(layer1, member, 0)).containsExactly(local);
        assertThat(head(layer1, member, 1)).containsExactly(association);
        assertThat(head(layer1, member, 2)).containsExactly(local);
        float[] learned = head(layer0, member, 0);
        for (int q = 0; q < T; q++) {
          double sum = 0;
          for (int k = 0; k < T; k++) {
            sum += learned[q * T + k];
          }
          assertThat(sum).as("a learned head's row is a softmax").isCloseTo(1.0, within(1e-5));
        }
      }
      // Position 1's token occurs once: its association row attends nowhere.
      assertThat(java.util.Arrays.copyOfRange(head(layer0, 0, 1), T, 2 * T)).containsOnly(0f);
    }
  }

  @Test
  void fixedHeadsHaveNoQueryOrKeyWeights() {
    Map<String, Integer> widths = new java.util.HashMap<>();
    ParameterLayout.of(MODEL).forEach(e -> widths.put(e.name(), e.cols()));
    assertThat(widths.get("blocks.0.attn.q")).isEqualTo(8); // one learned head of three
    assertThat(widths).doesNotContainKey("blocks.1.attn.q").doesNotContainKey("blocks.1.attn.k");
    assertThat(widths.get("blocks.1.attn.v")).isEqualTo(24); // values and output stay learned for every head
    assertThatThrownBy(() -> MODEL.withFixedHeads(Map.of(2, List.of(AttentionPattern.LOCAL))))
        .hasMessageContaining("at layer 2 do not fit a model of depth 2");
  }

  private static float[] head(float[] pattern, int member, int head) {
    int base = (member * 3 + head) * T * T;
    return java.util.Arrays.copyOfRange(pattern, base, base + T * T);
  }
}
