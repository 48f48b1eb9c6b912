package io.mechsweep.datagen.topics;

import io.mechsweep.datagen.RowRandom;

/**
 * Draws synthetic LDA documents as a pure function of (seed, split, row): θ ~ Dirichlet(α),
 * a length uniform in [minLength, maxLength], then per word a topic z ~ θ and a word uniform among
 * topic z's own words.
 */
public record LdaGenerator(LdaSpec spec) implements java.io.Serializable {
  public static final String TRAIN = "train";
  public static final String DEV = "dev";
  public static final String TEST = "test";

  public LdaDocument document(String split, long row) {
    RowRandom random = RowRandom.of(spec.seed(), streamOf(split), row);
    double[] theta = dirichlet(random, spec.topics(), spec.alpha());
    int length = random.nextInt(spec.minLength(), spec.maxLength());
    int[] tokens = new int[length + 2];
    int[] topics = new int[length];
    tokens[0] = TopicsVocabulary.START;
    for (int i = 0; i < length; i++) {
      int z = categorical(random, theta);
      topics[i] = z;
      tokens[i + 1] = TopicsVocabulary.tokenOfWord(z * spec.wordsPerTopic() + random.nextInt(spec.wordsPerTopic()));
    }
    tokens[length + 1] = TopicsVocabulary.END;
    return new LdaDocument(row, split, tokens, topics, theta);
  }

  /** Row {@code index} of the corpus: the training documents, then dev, then test. */
  public LdaDocument datasetRow(long index) {
    if (index < spec.trainDocs()) {
      return document(TRAIN, index);
    }
    index -= spec.trainDocs();
    return index < spec.devDocs() ? document(DEV, index) : document(TEST, index - spec.devDocs());
  }

  public long rowCount() {
    return (long) spec.trainDocs() + spec.devDocs() + spec.testDocs();
  }

  /** Normalized independent Gamma(α) draws. */
  static double[] dirichlet(RowRandom random, int k, double alpha) {
    double[] g = new double[k];
    double sum = 0;
    while (sum == 0) { // at α 0.1 every draw can underflow to 0 together, if very rarely: draw again
      sum = 0;
      for (int i = 0; i < k; i++) {
        g[i] = gamma(random, alpha);
        sum += g[i];
      }
    }
    for (int i = 0; i < k; i++) {
      g[i] /= sum;
    }
    return g;
  }

  /**
   * Gamma(α, 1) by Marsaglia and Tsang (2000); for α &lt; 1 a Gamma(α + 1) draw times U^(1/α).
   * StrictMath keeps the draws identical on every JVM and CPU.
   */
  static double gamma(RowRandom random, double alpha) {
    if (alpha < 1) {
      double u;
      do {
        u = random.nextDouble();
      } while (u == 0);
      return gamma(random, alpha + 1) * StrictMath.pow(u, 1 / alpha);
    }
    double d = alpha - 1.0 / 3;
    double c = 1 / StrictMath.sqrt(9 * d);
    while (true) {
      double x = strictGaussian(random);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
        return d * v;
      }
    }
  }

  /** Box–Muller with StrictMath, so a document is the same on every JVM and CPU. */
  private static double strictGaussian(RowRandom random) {
    double u1;
    do {
      u1 = random.nextDouble();
    } while (u1 == 0.0);
    double u2 = random.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  static int categorical(RowRandom random, double[] p) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < p.length; i++) {
      cumulative += p[i];
      if (u < cumulative) {
        return i;
      }
    }
    for (int i = p.length - 1; i >= 0; i--) { // rounding left u above the total: the last topic with mass
      if (p[i] > 0) {
        return i;
      }
    }
    return p.length - 1;
  }

  private static long streamOf(String split) {
    return switch (split) {
      case TRAIN -> 1;
      case DEV -> 2;
      case TEST -> 3;
      default -> throw new IllegalArgumentException("no LDA split " + split);
    };
  }
}
