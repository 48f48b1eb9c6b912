package io.mechsweep.datagen.topics;

import java.io.Serializable;

/**
 * One document of a topics corpus: a synthetic LDA document, or a chunk of a Wikipedia article
 * (then {@code topics} holds the fitted LDA's assignment of each word, −1 for none, and
 * {@code mixture} is empty).
 *
 * @param tokens START, the words (as tokens), END; no padding (batches pad)
 * @param topics the topic each word was drawn from, one per word (not per token)
 * @param mixture the document's topic mixture θ
 */
public record LdaDocument(long row, String split, int[] tokens, int[] topics, double[] mixture)
    implements Serializable {

  /** Words, START and END not counted. */
  public int length() {
    return tokens.length - 2;
  }
}
