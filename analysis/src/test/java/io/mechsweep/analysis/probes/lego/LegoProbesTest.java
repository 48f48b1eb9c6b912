package io.mechsweep.analysis.probes.lego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mechsweep.training.mimic.AttentionTargets;
import org.junit.jupiter.api.Test;

/** Association and locality scores, and the divergences, on hand-set attention patterns. */
class LegoProbesTest {
  /** Every token twice (positions i and i+4), so every query can associate. */
  private static final int[] PAIRED = {1, 2, 3, 4, 1, 2, 3, 4};
  private static final int T = PAIRED.length;

  /** Two sequences' patterns {@code (1, B=2, H=3, T, T)}: head 0 the band, head 1 association, head 2 uniform. */
  private static float[] pattern() {
    float[] band = AttentionTargets.localBand(T);
    float[] assoc = AttentionTargets.association(PAIRED);
    float[] out = new float[2 * 3 * T * T];
    for (int s = 0; s < 2; s++) {
      System.arraycopy(band, 0, out, (s * 3) * T * T, T * T);
      System.arraycopy(assoc, 0, out, (s * 3 + 1) * T * T, T * T);
      java.util.Arrays.fill(out, (s * 3 + 2) * T * T, (s * 3 + 3) * T * T, 1f / T);
    }
    return out;
  }

  @Test
  void aLocalHeadAnAssociationHeadAndAUniformHeadScoreAsDefined() {
    int[][] seqs = {PAIRED, PAIRED};
    LegoProbes.HeadScores local = LegoProbes.scores(pattern(), LegoProbes.ProbeSet.of(seqs), 0, 3);
    LegoProbes.HeadScores association = LegoProbes.scores(pattern(), LegoProbes.ProbeSet.of(seqs), 1, 3);
    LegoProbes.HeadScores uniform = LegoProbes.scores(pattern(), LegoProbes.ProbeSet.of(seqs), 2, 3);

    assertThat(local.locality()).isCloseTo(1.0, within(1e-6));
    assertThat(local.association()).isZero(); // the twin is 4 positions away, outside the band
    assertThat(local.klLocal()).isCloseTo(0, within(1e-6));

    assertThat(association.association()).isCloseTo(1.0, within(1e-6));
    assertThat(association.locality()).isZero();
    assertThat(association.klAssociation()).isCloseTo(0, within(1e-6));
    assertThat(association.klLocal()).isGreaterThan(1.0);

    assertThat(uniform.association()).isCloseTo(1.0 / T, within(1e-6)); // one twin among T keys
    // Keys within ±2: 3 at the edges (positions 0 and 7), 4 next to them, 5 inside: 34 of 64.
    assertThat(uniform.locality()).isCloseTo(34.0 / (T * T), within(1e-6));
  }

  @Test
  void queriesWhoseTokenOccursOnceDoNotCountForAssociation() {
    int[] once = {7, 1, 1, 8};
    float[] p = new float[4 * 4];
    java.util.Arrays.fill(p, 0.25f);
    // Only positions 1 and 2 can associate; each puts 0.25 on the other.
    assertThat(LegoProbes.scores(p, LegoProbes.ProbeSet.of(new int[][] {once}), 0, 1).association()).isCloseTo(0.25, within(1e-6));
  }
}
