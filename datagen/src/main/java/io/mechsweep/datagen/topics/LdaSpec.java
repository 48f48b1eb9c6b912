package io.mechsweep.datagen.topics;

import java.io.Serializable;

/**
 * Everything that determines a synthetic LDA corpus: equal specs give byte-identical documents.
 *
 * @param topics T (the paper's 10); topic t owns {@code wordsPerTopic} words of its own
 * @param wordsPerTopic words per topic (the paper's 10: 100 words in all)
 * @param alpha the symmetric Dirichlet prior of a document's topic mixture (the paper's 0.1)
 * @param minLength fewest words per document (the paper's 100), START and END not counted
 * @param maxLength most words per document (the paper's 150)
 */
public record LdaSpec(
    long seed, int topics, int wordsPerTopic, double alpha, int minLength, int maxLength, int trainDocs,
    int devDocs, int testDocs) implements Serializable {

  public static final int PAPER_TOPICS = 10;
  public static final int PAPER_WORDS_PER_TOPIC = 10;
  public static final double PAPER_ALPHA = 0.1;
  public static final int PAPER_MIN_LENGTH = 100;
  public static final int PAPER_MAX_LENGTH = 150;
  public static final int PAPER_DOCS = 10_000;
  public static final int MAX_DOCS = 10_000_000;

  public LdaSpec {
    if (topics < 2 || topics > 1000 || wordsPerTopic < 1 || (long) topics * wordsPerTopic > 100_000) {
      throw new IllegalArgumentException("topics must be in 2..1000 and topics × wordsPerTopic at most 100,000, got "
          + topics + " × " + wordsPerTopic);
    }
    if (!(alpha > 0) || alpha > 100) {
      throw new IllegalArgumentException("alpha must be in (0, 100], got " + alpha);
    }
    if (minLength < 1 || maxLength < minLength || maxLength > 10_000) {
      throw new IllegalArgumentException("lengths must satisfy 1 ≤ minLength ≤ maxLength ≤ 10,000, got "
          + minLength + ".." + maxLength);
    }
    for (int docs : new int[] {trainDocs, devDocs, testDocs}) {
      if (docs < 1 || docs > MAX_DOCS) {
        throw new IllegalArgumentException("document counts must be in 1.." + MAX_DOCS + ", got " + docs);
      }
    }
  }

  /** The paper's corpus: 10 topics × 10 words, α 0.1, 100–150 words, 10,000 documents per split. */
  public static LdaSpec paper(long seed) {
    return new LdaSpec(seed, PAPER_TOPICS, PAPER_WORDS_PER_TOPIC, PAPER_ALPHA, PAPER_MIN_LENGTH, PAPER_MAX_LENGTH,
        PAPER_DOCS, PAPER_DOCS, PAPER_DOCS);
  }

  public int words() {
    return topics * wordsPerTopic;
  }

  /** Specials and words: the model's input and output width. */
  public int vocabularySize() {
    return TopicsVocabulary.SPECIALS + words();
  }

  /** The longest document in tokens: START, the words, END. */
  public int maxTokens() {
    return maxLength + 2;
  }
}
