package io.mechsweep.analysis.probes.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.WeightMatrix;
import io.mechsweep.datagen.anchor.AnchorGenerator;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSequence;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterLayout;
import io.mechsweep.training.model.ParameterSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attention probes on a one-layer model whose weights are set by hand to a "previous token"
 * head: position i attends to i−1 with probability ≈ 1 (position 0 to itself). The expected
 * role-to-role attention then follows from the key positions of the data alone.
 */
class AnchorProbesTest {
  private static final int T = AnchorRules.SEQ_LEN;
  private static final int D = 16;

  @Test
  void previousTokenHeadGivesTheAttentionFlowTheDataImplies() {
    TorchRuntime.init(1);
    List<AnchorSequence> seen = new ArrayList<>();
    List<AnchorSequence> unseen = new ArrayList<>();
    AnchorGenerator generator = new AnchorGenerator(new AnchorSpec(5, 40, 10, 9, false));
    for (long i = 0; i < generator.spec().totalRows(); i++) {
      AnchorSequence s = generator.row(i);
      if (s.split().equals(AnchorGenerator.SPLIT_UNSEEN_PAIR)) {
        unseen.add(s);
      } else if (s.split().equals(AnchorGenerator.SPLIT_HELD_OUT_KEYS) && !s.pair().equals(AnchorRules.SWAPPED_TRAINED)) {
        seen.add(s);
      }
    }
    AnchorProbes probes = new AnchorProbes(AnchorProbeSet.of(AnchorProbes.SEEN, seen), AnchorProbeSet.of(AnchorProbes.UNSEEN, unseen));
    ModelConfig config = ModelConfig.anchor(AnchorRules.VOCAB_SIZE, T, D, 4, D, 1);

    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      Map<String, WeightMatrix> weights = new LinkedHashMap<>();
      for (ParameterLayout.Entry e : ParameterLayout.of(config)) {
        float[] w = values(e);
        tensors.put(e.name(), Tensors.of(manager, w, new Shape(1, e.rows(), e.cols())));
        weights.put(e.name(), new WeightMatrix(e.name(), e.rows(), e.cols(), w));
      }
      PackedTransformer model = new PackedTransformer(config, new ParameterSet(tensors));
      List<ProbeRow> rows = probes.probe("hand", 0, model, weights);

      for (List<AnchorSequence> set : List.of(seen, unseen)) {
        String name = set == seen ? AnchorProbes.SEEN : AnchorProbes.UNSEEN;
        double keyAt0 = fraction(set, 0);
        assertThat(flow(rows, name, "a1->key")).as(name).isCloseTo(1, within(2e-3));
        assertThat(flow(rows, name, "a2->a1")).as(name).isCloseTo(1, within(2e-3));
        assertThat(flow(rows, name, "key->key")).as(name).isCloseTo(keyAt0, within(2e-3));
        assertThat(flow(rows, name, "key->noise")).as(name).isCloseTo(1 - keyAt0, within(2e-3));
        // The last position (8) looks at position 7: a2 when the key sits at 5, a1 when at 6.
        assertThat(flow(rows, name, "last->a2")).as(name).isCloseTo(fraction(set, 5), within(2e-3));
        assertThat(flow(rows, name, "last->a1")).as(name).isCloseTo(fraction(set, 6), within(2e-3));
        assertThat(flow(rows, name, "last->key")).as(name).isCloseTo(0, within(2e-3));
        assertThat(flow(rows, name, "key->a1")).as("causal: nothing flows backwards").isZero();
      }
      // Token embeddings are zero except anchors 1 and 2, which are set equal: cos 1.
      assertThat(rows).filteredOn(r -> r.probe().equals(AnchorProbes.ANCHOR_EMBED_COS) && r.bucket().equals("1~2"))
          .singleElement().extracting(ProbeRow::value).isEqualTo(1.0);
    }
  }

  @Test
  void meanCosineCountsOnlyThePairsItIsAskedFor() {
    double[][] v = {{1, 0}, {2, 0}, {0, 1}};
    int[] target = {7, 7, 9};
    assertThat(AnchorProbes.meanCosine(v, v, true, (i, j) -> target[i] == target[j])).isEqualTo(1.0);
    assertThat(AnchorProbes.meanCosine(v, v, true, (i, j) -> target[i] != target[j])).isEqualTo(0.0);
    double[][] u = {{1, 1}};
    assertThat(AnchorProbes.meanCosine(u, v, false, (i, j) -> true)).isCloseTo(Math.sqrt(0.5), within(1e-12));
    assertThat(AnchorProbes.meanCosine(u, v, false, (i, j) -> false)).isNaN();
  }

  /** Positions one-hot in the embedding, W_Q = 50·I, W_K maps e_j to e_{j+1}: scores peak at j = i−1. */
  private static float[] values(ParameterLayout.Entry e) {
    float[] w = new float[e.rows() * e.cols()];
    switch (e.name()) {
      case "embed.pos" -> {
        for (int i = 0; i < T; i++) {
          w[i * D + i] = 1;
        }
      }
      case "embed.tok" -> {
        w[D + T] = 0.01f; // anchors 1 and 2 share a direction outside the position dimensions
        w[2 * D + T] = 0.02f;
      }
      case "blocks.0.attn.q" -> {
        for (int i = 0; i < D; i++) {
          w[i * D + i] = 50;
        }
      }
      case "blocks.0.attn.k" -> {
        for (int i = 0; i + 1 < D; i++) {
          w[i * D + i + 1] = 1;
        }
      }
      default -> java.util.Arrays.fill(w, e.isGaussian() ? 0.01f : e.constant());
    }
    return w;
  }

  private static double fraction(List<AnchorSequence> set, int keyPos) {
    return set.stream().filter(s -> s.keyPosition() == keyPos).count() / (double) set.size();
  }

  private static double flow(List<ProbeRow> rows, String set, String bucket) {
    return rows.stream()
        .filter(r -> r.probe().equals(AnchorProbes.ATTN_FLOW) && set.equals(r.probeSet()) && r.bucket().equals(bucket))
        .findFirst().orElseThrow().value();
  }
}
