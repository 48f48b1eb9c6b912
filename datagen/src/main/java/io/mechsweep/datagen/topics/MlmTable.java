package io.mechsweep.datagen.topics;

import io.mechsweep.datagen.TokenTable;
import java.util.List;

/**
 * Documents as a masked-LM token table: each row is a document's masked input padded with PAD
 * to {@code seqLen}, read at its chosen positions (the original tokens are the targets), as many
 * reads per row as the row of the table with the most chosen positions, the others' extra reads
 * padding (position 0, target −1: no loss, no score); the key mask hides padding and the chosen
 * positions, so the model predicts a chosen token from the others alone. Reading only the chosen
 * positions keeps the output head's work to what the loss uses.
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
    float[] keys = new float[rows * seqLen];
    List<MaskedLm.Masked> masked = new java.util.ArrayList<>(rows);
    int reads = 1;
    for (LdaDocument d : docs) {
      if (d.tokens().length > seqLen) {
        throw new IllegalArgumentException("document " + d.row() + " has " + d.tokens().length
            + " tokens, more than the table's " + seqLen);
      }
      MaskedLm.Masked m = masking.mask(d.tokens(), splitStream, d.row(), epoch, vocabularySize);
      masked.add(m);
      reads = Math.max(reads, m.count());
    }
    int[] targets = new int[rows * reads];
    int[] positions = new int[rows * reads];
    java.util.Arrays.fill(targets, -1);
    for (int r = 0; r < rows; r++) {
      LdaDocument d = docs.get(r);
      MaskedLm.Masked m = masked.get(r);
      int base = r * seqLen;
      int read = r * reads;
      for (int i = 0; i < seqLen; i++) {
        boolean inDoc = i < d.tokens().length;
        tokens[base + i] = inDoc ? m.input()[i] : TopicsVocabulary.PAD;
        boolean chosen = inDoc && m.chosen()[i];
        keys[base + i] = inDoc && !chosen ? 1f : 0f;
        if (chosen) {
          positions[read] = i;
          targets[read++] = d.tokens()[i];
        }
      }
    }
    return new TokenTable(seqLen, reads, tokens, targets, positions, null, keys);
  }
}
