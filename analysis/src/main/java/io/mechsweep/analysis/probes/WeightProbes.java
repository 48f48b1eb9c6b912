package io.mechsweep.analysis.probes;

import io.mechsweep.training.model.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Complexity probes of every weight matrix of a checkpoint, for every study: norms, the top
 * singular values, effective and stable rank, condensation of unit weight vectors, and the
 * eigenvalues of the covariance of the token embeddings of the tokens a task feeds in.
 */
public final class WeightProbes {
  /** Singular values and covariance eigenvalues kept per matrix (buckets 0 … TOP_K−1). */
  public static final int TOP_K = 16;

  public static final String FROBENIUS = "frobenius_norm";
  public static final String SPECTRAL = "spectral_norm";
  public static final String SINGULAR_VALUE = "singular_value";
  public static final String EFFECTIVE_RANK = "effective_rank";
  public static final String STABLE_RANK = "stable_rank";
  public static final String CONDENSED_FRACTION = "condensed_fraction";
  public static final String CLUSTERS = "clusters";
  public static final String EMBED_COV_EIGENVALUE = "embed_cov_eigenvalue";

  private WeightProbes() {}

  /**
   * @param inputTokens token ids that occur in the task's inputs: the embedding covariance is
   *     taken over these rows only, since never-seen tokens keep their initial vectors
   */
  public static List<ProbeRow> probe(
      String runId, int step, Map<String, WeightMatrix> params, Collection<Integer> inputTokens) {
    List<ProbeRow> rows = new ArrayList<>();
    for (WeightMatrix w : params.values()) {
      if (!w.isMatrix()) {
        continue;
      }
      double[] sv = MatrixComplexity.singularValues(w.asRows());
      Integer layer = w.layer();
      rows.add(row(runId, step, FROBENIUS, w, layer, ProbeRow.ALL, MatrixComplexity.frobeniusNorm(sv)));
      rows.add(row(runId, step, SPECTRAL, w, layer, ProbeRow.ALL, sv[0]));
      for (int i = 0; i < Math.min(TOP_K, sv.length); i++) {
        rows.add(row(runId, step, SINGULAR_VALUE, w, layer, String.valueOf(i), sv[i]));
      }
      rows.add(row(runId, step, EFFECTIVE_RANK, w, layer, ProbeRow.ALL, MatrixComplexity.effectiveRank(sv)));
      rows.add(row(runId, step, STABLE_RANK, w, layer, ProbeRow.ALL, MatrixComplexity.stableRank(sv)));
      MatrixComplexity.Condensation c =
          MatrixComplexity.condensation(w.unitVectors(), MatrixComplexity.CONDENSATION_COS);
      rows.add(row(runId, step, CONDENSED_FRACTION, w, layer, ProbeRow.ALL, c.condensedFraction()));
      rows.add(row(runId, step, CLUSTERS, w, layer, ProbeRow.ALL, c.clusters()));
    }
    WeightMatrix tokens = params.get(Names.TOKEN_EMBEDDING);
    if (tokens != null && inputTokens.size() > 1) {
      double[][] used = inputTokens.stream().sorted().map(tokens::row).toArray(double[][]::new);
      double[] eig = MatrixComplexity.covarianceEigenvalues(used);
      for (int i = 0; i < Math.min(TOP_K, eig.length); i++) {
        rows.add(row(runId, step, EMBED_COV_EIGENVALUE, tokens, null, String.valueOf(i), eig[i]));
      }
    }
    return rows;
  }

  private static ProbeRow row(
      String runId, int step, String probe, WeightMatrix w, Integer layer, String bucket, double value) {
    return new ProbeRow(runId, step, probe, w.name(), layer, null, null, bucket, value);
  }
}
