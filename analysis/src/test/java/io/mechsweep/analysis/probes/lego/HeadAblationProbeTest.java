package io.mechsweep.analysis.probes.lego;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.datagen.lego.LegoDataset;
import io.mechsweep.datagen.lego.LegoSpec;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.PackedTransformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lego probes' head ablation: a row per head and chain position, and a head with no output path changes nothing. */
class HeadAblationProbeTest {
  @Test
  void everyHeadIsAblatedAtEveryPositionAndAHeadWithoutOutputChangesNothing() {
    LegoDataset.Chains chains = new LegoDataset(new LegoSpec(3, 4, 2, 10, 40)).generateInMemory();
    ModelConfig config = new ModelConfig(36, 2, 22, 16, 32, 4, 2, 2, NormPlacement.PRE, false, Set.of(), true,
        Set.of());
    Map<String, float[]> member = GammaInitializer.member(config, new InitScheme.FixedStd(0.5), 7);
    float[] out = member.get("blocks.1.attn.o"); // (H·dk) × d: rows 4..7 are head 1's
    java.util.Arrays.fill(out, 4 * 16, 8 * 16, 0f);
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      PackedTransformer model = new PackedTransformer(config, GammaInitializer.fromMembers(config, List.of(member), m));
      List<ProbeRow> rows = LegoProbes.of(chains.probeChains(40), 22).probe("r", 5, model, Map.of());
      List<ProbeRow> zero = rows.stream().filter(r -> r.probe().equals(HeadAblationProbe.ZERO)).toList();
      List<ProbeRow> mean = rows.stream().filter(r -> r.probe().equals(HeadAblationProbe.MEAN)).toList();
      assertThat(zero).hasSize((1 + 2 * 2) * 4).allMatch(r -> r.probeSet().equals("test_shuffled"));
      assertThat(mean).hasSize(zero.size());
      for (int k = 1; k <= 4; k++) {
        String bucket = "read_" + k;
        double base = value(zero, null, null, bucket);
        assertThat(value(zero, 1, 1, bucket)).as("zeroing a head without output at %s", bucket).isEqualTo(base);
        assertThat(value(mean, 1, 1, bucket)).isEqualTo(base);
      }
      // The other heads do carry something: some ablation moves some position's accuracy.
      assertThat(zero.stream().filter(r -> r.layer() != null)
          .anyMatch(r -> r.value() != value(zero, null, null, r.bucket()))).isTrue();
    }
  }

  private static double value(List<ProbeRow> rows, Integer layer, Integer head, String bucket) {
    return rows.stream().filter(r -> java.util.Objects.equals(r.layer(), layer) && java.util.Objects.equals(r.head(), head)
        && r.bucket().equals(bucket)).findFirst().orElseThrow().value();
  }
}
