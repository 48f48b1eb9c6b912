package io.mechsweep.analysis.probes.topics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The topics paper's pair buckets and the two measures averaged over them: attention between
 * positions of a document, and inner products between the rows of a matrix indexed by token
 * (embeddings, W_V). A pair is {@code same_token}, else {@code no_topic} when either token has no
 * topic (a Wikipedia word the LDA left unassigned), else {@code same_topic} or
 * {@code different_topic}. Special tokens (PAD, MASK, START, END) are in no pair.
 */
public final class TopicBuckets {
  public static final String SAME_TOKEN = "same_token";
  public static final String SAME_TOPIC = "same_topic";
  public static final String DIFFERENT_TOPIC = "different_topic";
  public static final String NO_TOPIC = "no_topic";

  /** {@code topicOf} answers this for a token that has no topic. */
  public static final int UNASSIGNED = -1;
  /** {@code topicOf} answers this for a special token, left out of every pair. */
  public static final int SPECIAL = -2;

  private TopicBuckets() {}

  static String bucket(int a, int b, IntUnaryOperator topicOf) {
    int ta = topicOf.applyAsInt(a);
    int tb = topicOf.applyAsInt(b);
    if (ta == SPECIAL || tb == SPECIAL) {
      return null;
    }
    if (a == b) {
      return SAME_TOKEN;
    }
    if (ta == UNASSIGNED || tb == UNASSIGNED) {
      return NO_TOPIC;
    }
    return ta == tb ? SAME_TOPIC : DIFFERENT_TOPIC;
  }

  /**
   * Attention per bucket in one document over pairs of distinct positions, each weight scaled by
   * the number of positions {@code n} so that uniform attention reads 1 in every bucket
   * (documents of different lengths compare). Returns {@code {sum, pairs}} per bucket, to add up
   * over documents before dividing.
   *
   * @param pattern {@code n × n} row-major, query rows summing to 1
   * @param tokens the document's first {@code n} tokens
   */
  public static Map<String, double[]> attention(float[] pattern, int n, int[] tokens, IntUnaryOperator topicOf) {
    Map<String, double[]> sums = new LinkedHashMap<>(); // bucket -> {sum, count}
    for (int q = 0; q < n; q++) {
      for (int k = 0; k < n; k++) {
        String b = bucket(tokens[q], tokens[k], topicOf);
        if (b != null && q != k) {
          double[] s = sums.computeIfAbsent(b, x -> new double[2]);
          s[0] += pattern[q * n + k] * (double) n;
          s[1]++;
        }
      }
    }
    return sums;
  }

  /**
   * Mean inner product (or cosine) per bucket between the rows of a {@code rows × cols} matrix
   * whose row i belongs to token i: token embeddings, or W_V stored as (d_in, d_out), whose row i is
   * the value written for input token i (column i of a torch {@code nn.Linear} weight).
   *
   * @param centred subtract each row's mean first: a softmax output ignores a constant added to
   *     every logit, so with an identity decoder the mean of W_V's row is a direction the loss never
   *     sees, free to drift, and it dominates raw products
   */
  public static Map<String, Double> rowProducts(float[] matrix, int rows, int cols, IntUnaryOperator topicOf,
      boolean centred, boolean cosine) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      double mean = 0;
      for (int j = 0; j < cols; j++) {
        mean += matrix[i * cols + j] / (double) cols;
      }
      for (int j = 0; j < cols; j++) {
        m[i][j] = matrix[i * cols + j] - (centred ? mean : 0);
      }
    }
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (int a = 0; a < rows; a++) {
      for (int b = 0; b < rows; b++) {
        String bucket = bucket(a, b, topicOf);
        if (bucket == null) {
          continue;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < cols; j++) {
          dot += m[a][j] * m[b][j];
          na += m[a][j] * m[a][j];
          nb += m[b][j] * m[b][j];
        }
        double value = cosine ? (na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb)) : dot;
        double[] s = sums.computeIfAbsent(bucket, x -> new double[2]);
        s[0] += value;
        s[1]++;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    sums.forEach((bucket, s) -> out.put(bucket, s[0] / s[1]));
    return out;
  }

  /** The synthetic corpus's topics: word token t belongs to topic (t − specials) / wordsPerTopic. */
  public static IntUnaryOperator synthetic(int specials, int wordsPerTopic) {
    return token -> token < specials ? SPECIAL : (token - specials) / wordsPerTopic;
  }
}
