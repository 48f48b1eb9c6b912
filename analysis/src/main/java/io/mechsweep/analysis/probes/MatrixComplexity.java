package io.mechsweep.analysis.probes;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Complexity measures of one weight matrix, as plain functions of its entries.
 *
 * <p>"Small initialization is low rank and condensed" (TASKS.md, Study 1) is read off these:
 * effective and stable rank fall, and neurons' weight vectors line up, as γ grows.
 */
public final class MatrixComplexity {
  /** |cos| above which two weight vectors count as condensed (the paper's 0.7). */
  public static final double CONDENSATION_COS = 0.7;

  private MatrixComplexity() {}

  /** Singular values in descending order ({@code min(rows, cols)} of them). */
  public static double[] singularValues(double[][] m) {
    double[] s = new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues();
    double[] sorted = s.clone();
    Arrays.sort(sorted);
    reverse(sorted);
    return sorted;
  }

  public static double frobeniusNorm(double[] singularValues) {
    double sum = 0;
    for (double s : singularValues) {
      sum += s * s;
    }
    return Math.sqrt(sum);
  }

  /**
   * exp of the Shannon entropy of the normalized singular values p_i = σ_i / Σσ (Roy and
   * Vetterli): n for n equal singular values, 1 for a rank-one matrix, 0 for the zero matrix.
   */
  public static double effectiveRank(double[] singularValues) {
    double total = Arrays.stream(singularValues).sum();
    if (total <= 0) {
      return 0;
    }
    double entropy = 0;
    for (double s : singularValues) {
      double p = s / total;
      if (p > 0) {
        entropy -= p * Math.log(p);
      }
    }
    return Math.exp(entropy);
  }

  /** ‖W‖_F² / ‖W‖_2²: at most the rank, robust to tiny singular values. 0 for the zero matrix. */
  public static double stableRank(double[] singularValues) {
    double top = singularValues.length == 0 ? 0 : singularValues[0];
    if (top <= 0) {
      return 0;
    }
    double f = frobeniusNorm(singularValues);
    return f * f / (top * top);
  }

  /**
   * Condensation of a set of vectors.
   *
   * @param condensedFraction fraction of the n(n−1)/2 pairs with |cos| above the threshold
   * @param clusters groups of vectors linked by such pairs (single linkage): n when nothing is
   *     condensed, 1 when all vectors lie on one line
   */
  public record Condensation(double condensedFraction, int clusters) {}

  /** Condensation among the rows of {@code vectors}; zero rows are their own cluster. */
  public static Condensation condensation(double[][] vectors, double cosThreshold) {
    int n = vectors.length;
    double[][] unit = new double[n][];
    for (int i = 0; i < n; i++) {
      unit[i] = normalized(vectors[i]);
    }
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    long condensed = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (Math.abs(dot(unit[i], unit[j])) > cosThreshold) {
          condensed++;
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    int clusters = 0;
    for (int i = 0; i < n; i++) {
      if (find(parent, i) == i) {
        clusters++;
      }
    }
    long pairs = (long) n * (n - 1) / 2;
    return new Condensation(pairs == 0 ? 0 : (double) condensed / pairs, clusters);
  }

  /**
   * Eigenvalues (descending) of the covariance of the rows of {@code samples} (each row one
   * observation, e.g. one token's embedding; divides by n − 1), {@code min(n, d)} of them. They
   * are the squared singular values of the centred samples over n − 1: an SVD stays accurate
   * where the covariance is rank-deficient (fewer tokens than dimensions), which made commons-math's
   * symmetric eigensolver fail to converge on trained embeddings.
   */
  public static double[] covarianceEigenvalues(double[][] samples) {
    int n = samples.length;
    int d = samples[0].length;
    double[] mean = new double[d];
    for (double[] row : samples) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / n;
      }
    }
    double[][] centred = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        centred[i][j] = samples[i][j] - mean[j];
      }
    }
    double[] sv = singularValues(centred);
    double[] eig = new double[sv.length];
    for (int i = 0; i < sv.length; i++) {
      eig[i] = sv[i] * sv[i] / (n - 1);
    }
    return eig;
  }

  /** A row-major {@code n × d} float array as n vectors (activations read from a tensor). */
  public static double[][] rows(float[] flat, int n, int d) {
    double[][] out = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        out[i][c] = flat[i * d + c];
      }
    }
    return out;
  }

  public static double cosine(double[] a, double[] b) {
    return dot(normalized(a), normalized(b));
  }

  /** {@code v / ‖v‖}; the zero vector stays zero. */
  public static double[] normalized(double[] v) {
    double norm = Math.sqrt(dot(v, v));
    double[] out = new double[v.length];
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i] / norm;
      }
    }
    return out;
  }

  public static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void reverse(double[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
