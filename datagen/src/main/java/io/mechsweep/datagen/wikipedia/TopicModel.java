package io.mechsweep.datagen.wikipedia;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.clustering.LDA;
import org.apache.spark.ml.clustering.LDAModel;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Topics of a tokenized corpus with Spark MLlib, as the topics paper did on Wikipedia: a
 * vocabulary without rare and very frequent words ({@link CountVectorizer}), TF-IDF
 * ({@link IDF}) and LDA ({@link LDA}, online variational Bayes). Each word is then assigned to
 * the topic where it carries most probability mass.
 *
 * <p>The assignment rule, recorded with its threshold: normalize each topic's word weights to a
 * distribution β_t; a word's share in topic t is β_t(w) / Σ_s β_s(w); the word belongs to its
 * largest-share topic when that share is at least {@code minShare}, else to none (it is spread
 * over topics, like a function word).
 */
public final class TopicModel {
  /**
   * @param topics k (the paper's 100 on full Wikipedia)
   * @param vocabularySize at most this many words, the most frequent that pass the document filters
   * @param minDocs a word must occur in at least this many articles
   * @param maxDocShare and in at most this share of them
   * @param minShare the share a word's largest topic needs for the word to be assigned to it
   */
  public record Spec(int topics, int vocabularySize, int minDocs, double maxDocShare, int iterations, long seed,
      double minShare) implements Serializable {
    public Spec {
      if (topics < 2 || vocabularySize < topics || minDocs < 1 || !(maxDocShare > 0 && maxDocShare <= 1)
          || iterations < 1 || !(minShare >= 0 && minShare <= 1)) {
        throw new IllegalArgumentException("topic model spec out of range: " + this);
      }
    }

    public String rule() {
      return "argmax_t beta_t(w) / sum_s beta_s(w), assigned when >= " + minShare;
    }
  }

  /**
   * What the fit produced, as table rows.
   *
   * @param vocabulary {@code word_index, word}
   * @param topics {@code topic, word, weight}: every topic's distribution over the vocabulary
   * @param assignment {@code word, topic, share}: topic −1 for a word below {@code minShare}
   */
  public record Fitted(List<Row> vocabulary, List<Row> topics, List<Row> assignment, double logPerplexity) {}

  private TopicModel() {}

  /**
   * The vocabulary: the most frequent words in at least {@code minDocs} and at most
   * {@code maxDocShare} of the {@code articles} articles, counted in column {@code tf}. The share is
   * passed to MLlib as a count, since MLlib reads a maxDF of 1.0 as one document, not all of them.
   */
  public static CountVectorizerModel vocabulary(Dataset<Row> articles, long articleCount, Spec spec) {
    return new CountVectorizer().setInputCol("tokens").setOutputCol("tf").setVocabSize(spec.vocabularySize())
        .setMinDF(spec.minDocs()).setMaxDF(spec.maxDocShare() * articleCount).fit(articles);
  }

  /** LDA over the articles' TF-IDF in the vocabulary {@code counts}, and each word's topic. */
  public static Fitted fit(Dataset<Row> articles, CountVectorizerModel counts, Spec spec) {
    Dataset<Row> tf = counts.transform(articles);
    Dataset<Row> features = new IDF().setInputCol("tf").setOutputCol("tfidf").fit(tf).transform(tf).cache();
    try {
      LDAModel lda = new LDA().setK(spec.topics()).setMaxIter(spec.iterations()).setSeed(spec.seed())
          .setOptimizer("online").setFeaturesCol("tfidf").fit(features);
      String[] words = counts.vocabulary();
      double[][] beta = normalizedTopics(lda.topicsMatrix(), words.length, spec.topics());
      List<Row> vocabulary = new ArrayList<>();
      List<Row> topics = new ArrayList<>();
      List<Row> assignment = new ArrayList<>();
      for (int w = 0; w < words.length; w++) {
        vocabulary.add(RowFactory.create(w, words[w]));
        double total = 0;
        int best = 0;
        for (int t = 0; t < spec.topics(); t++) {
          topics.add(RowFactory.create(t, words[w], beta[t][w]));
          total += beta[t][w];
          best = beta[t][w] > beta[best][w] ? t : best;
        }
        double share = total == 0 ? 0 : beta[best][w] / total;
        assignment.add(RowFactory.create(words[w], share >= spec.minShare() ? best : -1, share));
      }
      return new Fitted(vocabulary, topics, assignment, lda.logPerplexity(features));
    } finally {
      features.unpersist();
    }
  }

  /** β: each topic's column of the vocabulary × topics matrix scaled to sum 1. */
  static double[][] normalizedTopics(Matrix m, int vocabulary, int topics) {
    double[][] beta = new double[topics][vocabulary];
    for (int t = 0; t < topics; t++) {
      double sum = 0;
      for (int w = 0; w < vocabulary; w++) {
        sum += m.apply(w, t);
      }
      for (int w = 0; w < vocabulary; w++) {
        beta[t][w] = sum == 0 ? 0 : m.apply(w, t) / sum;
      }
    }
    return beta;
  }
}
