package io.mechsweep.analysis.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The complexity probes on matrices whose answers are known in closed form. */
class MatrixComplexityTest {
  @Test
  void singularValuesNormsAndRanksOfADiagonalMatrix() {
    double[][] m = {{0, 0, 1}, {0, 3, 0}, {2, 0, 0}}; // a permuted diag(3, 2, 1)
    double[] sv = MatrixComplexity.singularValues(m);
    assertThat(sv).containsExactly(new double[] {3, 2, 1}, within(1e-12));
    assertThat(MatrixComplexity.frobeniusNorm(sv)).isCloseTo(Math.sqrt(14), within(1e-12));
    assertThat(MatrixComplexity.stableRank(sv)).isCloseTo(14.0 / 9, within(1e-12));
    double entropy = -(0.5 * Math.log(0.5) + (1.0 / 3) * Math.log(1.0 / 3) + (1.0 / 6) * Math.log(1.0 / 6));
    assertThat(MatrixComplexity.effectiveRank(sv)).isCloseTo(Math.exp(entropy), within(1e-12));
  }

  @Test
  void identityHasFullRankAndOuterProductRankOne() {
    double[][] eye = new double[5][5];
    for (int i = 0; i < 5; i++) {
      eye[i][i] = 1;
    }
    double[] sv = MatrixComplexity.singularValues(eye);
    assertThat(MatrixComplexity.effectiveRank(sv)).isCloseTo(5, within(1e-12));
    assertThat(MatrixComplexity.stableRank(sv)).isCloseTo(5, within(1e-12));

    double[] u = {1, -2, 3, 0.5};
    double[] v = {2, 1, -1};
    double[][] outer = new double[4][3];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        outer[i][j] = u[i] * v[j];
      }
    }
    double[] osv = MatrixComplexity.singularValues(outer);
    assertThat(osv[0]).isCloseTo(Math.sqrt(14.25) * Math.sqrt(6), within(1e-9));
    assertThat(osv[1]).isCloseTo(0, within(1e-9));
    assertThat(MatrixComplexity.effectiveRank(osv)).isCloseTo(1, within(1e-6));
    assertThat(MatrixComplexity.stableRank(osv)).isCloseTo(1, within(1e-9));
    assertThat(MatrixComplexity.effectiveRank(new double[] {0, 0})).isZero();
  }

  @Test
  void duplicatedRowsAreCondensedIntoOneCluster() {
    double[] r = {1, 2, 0, 0};
    double[][] rows = {r, {2, 4, 0, 0}, {-1, -2, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 3}};
    MatrixComplexity.Condensation c = MatrixComplexity.condensation(rows, 0.7);
    assertThat(c.condensedFraction()).isCloseTo(3.0 / 10, within(1e-12)); // 3 of 10 pairs (|cos| = 1)
    assertThat(c.clusters()).isEqualTo(3);
    // cos = 0.6 between these two: below the threshold, so nothing is condensed
    MatrixComplexity.Condensation apart = MatrixComplexity.condensation(new double[][] {{1, 0}, {0.6, 0.8}}, 0.7);
    assertThat(apart.condensedFraction()).isZero();
    assertThat(apart.clusters()).isEqualTo(2);
  }

  @Test
  void covarianceOfPointsOnALineHasOneNonZeroEigenvalue() {
    double[][] pts = new double[5][];
    for (int t = 1; t <= 5; t++) {
      pts[t - 1] = new double[] {t, 2 * t};
    }
    double[] eig = MatrixComplexity.covarianceEigenvalues(pts);
    assertThat(eig[0]).isCloseTo(2.5 * 5, within(1e-9)); // var(t) = 2.5, direction (1,2) has |.|² = 5
    assertThat(eig[1]).isCloseTo(0, within(1e-9));

    // Fewer samples than dimensions (as with 84 tokens in 128 dimensions): e1, e2, e3 in R^5
    // have covariance (I − J/3)/2 on the first three axes, eigenvalues 1/2, 1/2, 0.
    double[][] basis = new double[3][5];
    for (int i = 0; i < 3; i++) {
      basis[i][i] = 1;
    }
    assertThat(MatrixComplexity.covarianceEigenvalues(basis)).containsExactly(new double[] {0.5, 0.5, 0}, within(1e-12));
  }

  @Test
  void weightProbesReadLinearMapsByOutputNeuronAndEmbeddingsByToken() {
    // W_Q stored (d_in = 3, d_out = 2) with identical columns: the two neurons' weights coincide.
    WeightMatrix q = new WeightMatrix("blocks.0.attn.q", 3, 2, new float[] {1, 1, 2, 2, -1, -1});
    // Token embeddings: tokens 0 and 1 share a direction, token 2 is orthogonal.
    WeightMatrix tok = new WeightMatrix("embed.tok", 3, 2, new float[] {1, 0, 2, 0, 0, 1});
    WeightMatrix gain = new WeightMatrix("blocks.0.ln_attn.g", 1, 2, new float[] {1, 1});
    List<ProbeRow> rows = WeightProbes.probe("r", 7, Map.of("blocks.0.attn.q", q, "embed.tok", tok,
        "blocks.0.ln_attn.g", gain), List.of(0, 1, 2));

    assertThat(value(rows, "blocks.0.attn.q", WeightProbes.CONDENSED_FRACTION, "all")).isEqualTo(1.0);
    assertThat(value(rows, "blocks.0.attn.q", WeightProbes.CLUSTERS, "all")).isEqualTo(1.0);
    assertThat(value(rows, "blocks.0.attn.q", WeightProbes.EFFECTIVE_RANK, "all")).isCloseTo(1, within(1e-6));
    assertThat(value(rows, "blocks.0.attn.q", WeightProbes.SPECTRAL, "all")).isCloseTo(Math.sqrt(12), within(1e-6));
    assertThat(value(rows, "embed.tok", WeightProbes.CONDENSED_FRACTION, "all")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(value(rows, "embed.tok", WeightProbes.CLUSTERS, "all")).isEqualTo(2.0);
    assertThat(rows).filteredOn(r -> r.tensor().equals("blocks.0.ln_attn.g")).as("gains are not matrices").isEmpty();
    assertThat(rows).filteredOn(r -> r.tensor().equals("blocks.0.attn.q")).allMatch(r -> r.layer() == 0 && r.step() == 7);
    // Covariance of the 3 token vectors (1,0), (2,0), (0,1): eigenvalues of [[1, -0.5], [-0.5, 1/3]].
    double tr = 1 + 1.0 / 3;
    double det = 1.0 / 3 - 0.25;
    double top = tr / 2 + Math.sqrt(tr * tr / 4 - det);
    assertThat(value(rows, "embed.tok", WeightProbes.EMBED_COV_EIGENVALUE, "0")).isCloseTo(top, within(1e-9));
  }

  private static double value(List<ProbeRow> rows, String tensor, String probe, String bucket) {
    return rows.stream()
        .filter(r -> tensor.equals(r.tensor()) && r.probe().equals(probe) && r.bucket().equals(bucket))
        .findFirst().orElseThrow(() -> new AssertionError("no " + probe + " of " + tensor)).value();
  }
}
