package io.mechsweep.datagen.topics;

import java.io.Serializable;

/**
 * One synthetic document.
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
