package io.mechsweep.analysis.probes.topics;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.probes.WeightMatrix;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.PackedTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

/**
 * The topics study's probes (TASKS.md, Study 4), against a word → topic map (the generative
 * topics of the synthetic corpus, or the LDA assignment on Wikipedia):
 *
 * <ul>
 *   <li>{@value #ATTENTION}: attention per pair bucket on held-out documents cut to their first
 *       {@value #CUT} tokens, per layer and head, each weight scaled by the document's length so
 *       uniform attention reads 1 ({@link TopicBuckets#attention}).
 *   <li>{@value #EMBEDDING_PRODUCT}, {@value #EMBEDDING_COSINE}: between token embeddings, per bucket.
 *   <li>{@value #VALUE_PRODUCT} raw and {@value #VALUE_PRODUCT_CENTRED}: between the values the
 *       first layer writes for two tokens, E·W_V's rows (W_V's own rows when the embedding is
 *       one-hot: the paper's W_V column products in torch's layout), per bucket.
 *   <li>{@value #VALUE_MATRIX}: the centred value products of {@link #matrixTokens} (grouped by
 *       topic), bucket {@code "<row>,<col>"}, for the report's heatmap.
 *   <li>{@value #KQ_NORM}: ‖W_Q W_Kᵀ‖_F per layer and head, the paper's ‖W_Kᵀ W_Q‖ (‖W_V‖ is the
 *       shared {@code frobenius_norm} of {@code blocks.0.attn.v}).
 * </ul>
 */
public final class TopicsProbes implements TaskProbes {
  public static final String ATTENTION = "topic_attention";
  public static final String EMBEDDING_PRODUCT = "embedding_product";
  public static final String EMBEDDING_COSINE = "embedding_cosine";
  public static final String VALUE_PRODUCT = "value_product";
  public static final String VALUE_PRODUCT_CENTRED = "value_product_centred";
  public static final String VALUE_MATRIX = "value_product_matrix";
  public static final String KQ_NORM = "kq_norm";
  /** Tokens per probed document (the paper cuts documents to 100). */
  public static final int CUT = 100;
  public static final String PROBE_SET = "test_first_" + CUT;

  private final int[][] documents;
  private final int[] topicOfToken;
  private final int[] matrixTokens;
  private final int padToken;

  /**
   * @param documents held-out documents as token ids (longer ones are cut to {@value #CUT})
   * @param topicOfToken per token id: its topic, {@link TopicBuckets#UNASSIGNED} or {@link TopicBuckets#SPECIAL}
   * @param matrixTokens the tokens of the value-product heatmap, in the order drawn
   * @param padToken what fills a document's positions after its end (hidden from attention)
   */
  public TopicsProbes(List<int[]> documents, int[] topicOfToken, int[] matrixTokens, int padToken) {
    this.documents = documents.stream().map(d -> java.util.Arrays.copyOf(d, Math.min(CUT, d.length)))
        .toArray(int[][]::new);
    this.topicOfToken = topicOfToken.clone();
    this.matrixTokens = matrixTokens.clone();
    this.padToken = padToken;
  }

  private IntUnaryOperator topics() {
    int[] map = topicOfToken;
    return t -> map[t];
  }

  @Override
  public Set<Integer> inputTokens() {
    Set<Integer> out = new TreeSet<>();
    for (int t = 0; t < topicOfToken.length; t++) {
      if (topicOfToken[t] != TopicBuckets.SPECIAL) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public List<ProbeRow> probe(String runId, int step, PackedTransformer model, Map<String, WeightMatrix> weights) {
    List<ProbeRow> rows = new ArrayList<>();
    if (documents.length > 0) {
      attention(runId, step, model, rows);
    }
    WeightMatrix embedding = weights.get(Names.TOKEN_EMBEDDING);
    int v = embedding.rows();
    float[] e = embedding.data();
    products(rows, runId, step, EMBEDDING_PRODUCT, Names.TOKEN_EMBEDDING,
        TopicBuckets.rowProducts(e, v, embedding.cols(), topics(), false, false));
    products(rows, runId, step, EMBEDDING_COSINE, Names.TOKEN_EMBEDDING,
        TopicBuckets.rowProducts(e, v, embedding.cols(), topics(), false, true));
    WeightMatrix wv = weights.get(Names.attnV(0));
    float[] values = multiply(e, v, embedding.cols(), wv.data(), wv.cols());
    products(rows, runId, step, VALUE_PRODUCT, Names.attnV(0),
        TopicBuckets.rowProducts(values, v, wv.cols(), topics(), false, false));
    products(rows, runId, step, VALUE_PRODUCT_CENTRED, Names.attnV(0),
        TopicBuckets.rowProducts(values, v, wv.cols(), topics(), true, false));
    double[][] centred = centredRows(values, v, wv.cols(), matrixTokens);
    for (int a = 0; a < matrixTokens.length; a++) {
      for (int b = 0; b < matrixTokens.length; b++) {
        double dot = 0;
        for (int j = 0; j < centred[a].length; j++) {
          dot += centred[a][j] * centred[b][j];
        }
        rows.add(new ProbeRow(runId, step, VALUE_MATRIX, Names.attnV(0), 0, null, null, a + "," + b, dot));
      }
    }
    keyQueryNorms(runId, step, model, weights, rows);
    return rows;
  }

  private void attention(String runId, int step, PackedTransformer model, List<ProbeRow> rows) {
    int t = model.config().seqLen();
    int b = documents.length;
    long[] tokens = new long[b * t];
    float[] visible = new float[b * t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        boolean inside = j < documents[i].length;
        tokens[i * t + j] = inside ? documents[i][j] : padToken;
        visible[i * t + j] = inside ? 1f : 0f;
      }
    }
    NDManager manager = model.params().get(Names.TOKEN_EMBEDDING).getManager();
    Autograd.record(false);
    int heads = model.config().heads();
    try (NDScope scope = new NDScope()) {
      PackedTransformer.Output out = model.forward(Tensors.of(manager, tokens, new Shape(1, b, t)), false, true,
          Tensors.of(manager, visible, new Shape(1, b, t)));
      for (int l = 0; l < model.config().depth(); l++) {
        float[] pattern = Tensors.floats(out.trace().get(Names.attnPattern(l))); // (1,B,H,T,T)
        for (int h = 0; h < heads; h++) {
          Map<String, double[]> sums = new java.util.TreeMap<>();
          for (int i = 0; i < b; i++) {
            int n = documents[i].length;
            float[] own = new float[n * n];
            int base = (i * heads + h) * t * t;
            for (int q = 0; q < n; q++) {
              System.arraycopy(pattern, base + q * t, own, q * n, n);
            }
            TopicBuckets.attention(own, n, documents[i], topics()).forEach((bucket, s) -> {
              double[] total = sums.computeIfAbsent(bucket, x -> new double[2]);
              total[0] += s[0];
              total[1] += s[1];
            });
          }
          for (Map.Entry<String, double[]> s : sums.entrySet()) {
            rows.add(new ProbeRow(runId, step, ATTENTION, null, l, h, PROBE_SET, s.getKey(),
                s.getValue()[0] / s.getValue()[1]));
          }
        }
      }
    }
  }

  private static void keyQueryNorms(String runId, int step, PackedTransformer model, Map<String, WeightMatrix> weights,
      List<ProbeRow> rows) {
    int dk = model.config().dK();
    for (int l = 0; l < model.config().parameterBlocks(); l++) {
      WeightMatrix q = weights.get(Names.attnQ(l));
      WeightMatrix k = weights.get(Names.attnK(l));
      int d = q.rows();
      for (int h = 0; h < model.config().heads(); h++) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            double dot = 0;
            for (int c = h * dk; c < (h + 1) * dk; c++) {
              dot += (double) q.data()[i * q.cols() + c] * k.data()[j * k.cols() + c];
            }
            sum += dot * dot;
          }
        }
        rows.add(new ProbeRow(runId, step, KQ_NORM, Names.attnQ(l), l, h, null, ProbeRow.ALL, Math.sqrt(sum)));
      }
    }
  }

  private static void products(List<ProbeRow> rows, String runId, int step, String probe, String tensor,
      Map<String, Double> byBucket) {
    byBucket.forEach((bucket, value) -> rows.add(new ProbeRow(runId, step, probe, tensor, 0, null, null, bucket, value)));
  }

  /** {@code a (n × m) · b (m × p)}, row-major. */
  static float[] multiply(float[] a, int n, int m, float[] b, int p) {
    float[] out = new float[n * p];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < m; k++) {
        float x = a[i * m + k];
        if (x != 0) {
          for (int j = 0; j < p; j++) {
            out[i * p + j] += x * b[k * p + j];
          }
        }
      }
    }
    return out;
  }

  private static double[][] centredRows(float[] matrix, int rows, int cols, int[] which) {
    double[][] out = new double[which.length][cols];
    for (int a = 0; a < which.length; a++) {
      double mean = 0;
      for (int j = 0; j < cols; j++) {
        mean += matrix[which[a] * cols + j] / (double) cols;
      }
      for (int j = 0; j < cols; j++) {
        out[a][j] = matrix[which[a] * cols + j] - mean;
      }
    }
    return out;
  }
}
