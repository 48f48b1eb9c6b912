package io.mechsweep.datagen.topics;

import io.mechsweep.datagen.TokenTable;
import java.util.List;

/**
 * Documents as a masked-LM token table: each row is a document's masked input padded with PAD
 * to {@code seqLen}, read at every position; the target is the original token where the
 * position was chosen and −1 (a padding read: no loss, no score) elsewhere; the key mask hides
 * padding and the chosen positions, so the model predicts a chosen token from the others alone.
 */
public final class MlmTable {
  private MlmTable() {}

  /**
   * @param splitStream separates the splits' mask draws (train, dev and test documents share row numbers)
   * @param epoch which epoch's masks (ignored under {@link MaskedLm.Policy#ONCE})
   */
  public static TokenTable of(List<LdaDocument> docs, MaskedLm masking, long splitStream, int epoch, int seqLen,
      int vocabularySize) {
    int rows = docs.size();
    int[] tokens = new int[rows * seqLen];
    int[] targets = new int[rows * seqLen];
    int[] positions = new int[rows * seqLen];
    float[] keys = new float[rows * seqLen];
    java.util.Arrays.fill(targets, -1);
    for (int r = 0; r < rows; r++) {
      LdaDocument d = docs.get(r);
      if (d.tokens().length > seqLen) {
        throw new IllegalArgumentException("document " + d.row() + " has " + d.tokens().length
            + " tokens, more than the table's " + seqLen);
      }
      MaskedLm.Masked m = masking.mask(d.tokens(), splitStream, d.row(), epoch, vocabularySize);
      int base = r * seqLen;
      for (int i = 0; i < seqLen; i++) {
        positions[base + i] = i;
        boolean inDoc = i < d.tokens().length;
        tokens[base + i] = inDoc ? m.input()[i] : TopicsVocabulary.PAD;
        boolean chosen = inDoc && m.chosen()[i];
        targets[base + i] = chosen ? d.tokens()[i] : -1;
        keys[base + i] = inDoc && !chosen ? 1f : 0f;
      }
    }
    return new TokenTable(seqLen, seqLen, tokens, targets, positions, null, keys);
  }
}
