package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.model.HeadAblation;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterLayout;
import io.mechsweep.training.model.GammaInitializer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Head ablation on hand-set weights whose logits are known: one layer, two heads of width 1 with
 * W_Q = W_K = 0 (uniform attention), W_V = W_O = I, tokens embedded as e0 and e1, no norm, no MLP,
 * no residual, unembedding I. Head h then outputs the fraction of token h in the sequence, and
 * logit h is that fraction.
 */
class HeadAblationTest {
  private static final ModelConfig MODEL = new ModelConfig(2, 2, 2, 2, 1, 1, 2, 1, NormPlacement.NONE, false,
      Set.of(0), false, Set.of(), false, false, Map.of(), Map.of());

  @Test
  void zeroAndMeanAblationReplaceExactlyOneHeadsOutput() {
    Map<String, float[]> p = new HashMap<>();
    for (ParameterLayout.Entry e : ParameterLayout.of(MODEL)) {
      p.put(e.name(), new float[e.rows() * e.cols()]);
    }
    float[] identity = {1, 0, 0, 1};
    p.put("embed.tok", identity.clone());
    p.put("blocks.0.attn.v", identity.clone());
    p.put("blocks.0.attn.o", identity.clone());
    p.put("unembed.w", identity.clone());
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      PackedTransformer model = new PackedTransformer(MODEL, GammaInitializer.fromMembers(MODEL, List.of(p), m));
      // Sequences [0, 0] and [1, 1]... and [0, 1], each read at position 0.
      long[] tokens = {0, 0, 1, 1, 0, 1};
      long[] reads = {0, 0, 0};
      float[] none = logits(model, m, tokens, reads, null);
      assertThat(none).containsExactly(new float[] {1, 0, 0, 1, 0.5f, 0.5f}, within(1e-6f));
      float[] zero0 = logits(model, m, tokens, reads, new HeadAblation(0, 0, HeadAblation.Mode.ZERO));
      assertThat(zero0).containsExactly(new float[] {0, 0, 0, 1, 0, 0.5f}, within(1e-6f));
      float[] zero1 = logits(model, m, tokens, reads, new HeadAblation(0, 1, HeadAblation.Mode.ZERO));
      assertThat(zero1).containsExactly(new float[] {1, 0, 0, 0, 0.5f, 0}, within(1e-6f));
      // Head 0's output over the batch's sequences and positions: 1, 0, 0.5 → mean 0.5 everywhere.
      float[] mean0 = logits(model, m, tokens, reads, new HeadAblation(0, 0, HeadAblation.Mode.MEAN));
      assertThat(mean0).containsExactly(new float[] {0.5f, 0, 0.5f, 1, 0.5f, 0.5f}, within(1e-6f));
      assertThatThrownBy(() -> logits(model, m, tokens, reads, new HeadAblation(0, 2, HeadAblation.Mode.ZERO)))
          .hasMessageContaining("no head 2 at layer 0");
    }
  }

  private static float[] logits(PackedTransformer model, NDManager m, long[] tokens, long[] reads, HeadAblation a) {
    return Tensors.floats(model.logitsAt(Tensors.of(m, tokens, new Shape(1, 3, 2)), Tensors.of(m, reads,
        new Shape(1, 3, 1)), null, a));
  }
}
