package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.ParameterSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GammaInitializerTest {
  // Wide matrices so sample std is close to σ; d_ff ≠ d_model ≠ heads·d_k to tell fan-ins apart.
  private static final ModelConfig WIDE = new ModelConfig(201, 201, 9, 96, 384, 40, 2, 2,
      io.mechsweep.training.model.NormPlacement.POST, true, java.util.Set.of(), true, java.util.Set.of());

  private static double std(float[] v) {
    double mean = 0;
    for (float x : v) mean += x;
    mean /= v.length;
    double var = 0;
    for (float x : v) var += (x - mean) * (x - mean);
    return Math.sqrt(var / v.length);
  }

  @Test
  void everyWeightMatrixHasStdFanInToTheMinusGamma() {
    double gamma = 0.7;
    Map<String, float[]> p = GammaInitializer.member(WIDE, gamma, 42);
    Map<String, Integer> fanIn = Map.of(
        "embed.tok", 96, "embed.pos", 96, "blocks.1.attn.q", 96, "blocks.1.attn.k", 96,
        "blocks.1.attn.v", 96, "blocks.1.attn.o", 80, "blocks.1.mlp.w1", 96, "blocks.1.mlp.w2", 384,
        "unembed.w", 96);
    fanIn.forEach((name, d) -> {
      double expected = Math.pow(d, -gamma);
      assertThat(std(p.get(name))).as(name).isCloseTo(expected, within(expected * 0.1));
    });
    assertThat(p.get("blocks.0.ln_attn.g")).containsOnly(1f);
    assertThat(p.get("blocks.0.ln_mlp.b")).containsOnly(0f);
    assertThat(p.get("unembed.b")).containsOnly(0f);
  }

  @Test
  void smallGammaMeansLargeInit() {
    double large = std(GammaInitializer.member(WIDE, 0.3, 1).get("blocks.0.attn.q"));
    double small = std(GammaInitializer.member(WIDE, 0.8, 1).get("blocks.0.attn.q"));
    assertThat(large / small).isCloseTo(Math.pow(96, 0.5), within(0.5));
  }

  @Test
  void packMembersEqualTheirSoloInitialization() {
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterSet pack = GammaInitializer.pack(Fixtures.MODEL, new double[] {0.3, 0.8}, new long[] {5, 6}, m);
      Map<String, float[]> second = GammaInitializer.member(Fixtures.MODEL, 0.8, 6);
      float[] q = Tensors.floats(pack.get("blocks.0.attn.q").get("1"));
      assertThat(q).containsExactly(second.get("blocks.0.attn.q"));
      assertThat(pack.get("embed.tok").getShape().get(0)).isEqualTo(2);
    }
  }
}
