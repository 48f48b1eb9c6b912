package io.mechsweep.datagen.topics;

/**
 * The synthetic LDA vocabulary (Li, Li, Risteski 2023): four special tokens, then the words.
 * Topic {@code t} owns words {@code t·wordsPerTopic .. (t+1)·wordsPerTopic − 1}, so a word's topic
 * is its index divided by the words per topic; special tokens have none.
 */
public final class TopicsVocabulary {
  public static final int PAD = 0;
  public static final int MASK = 1;
  public static final int START = 2;
  public static final int END = 3;
  public static final int SPECIALS = 4;

  /** The topic of no token: specials. */
  public static final int NO_TOPIC = -1;

  private TopicsVocabulary() {}

  public static int tokenOfWord(int word) {
    return SPECIALS + word;
  }

  public static boolean isWord(int token) {
    return token >= SPECIALS;
  }

  /** {@code word // wordsPerTopic} for a word token, {@link #NO_TOPIC} for a special one. */
  public static int topicOf(int token, int wordsPerTopic) {
    return isWord(token) ? (token - SPECIALS) / wordsPerTopic : NO_TOPIC;
  }
}
