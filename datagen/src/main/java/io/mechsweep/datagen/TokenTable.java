package io.mechsweep.datagen;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Fixed-length token sequences with one target each, stored flat so a whole split can be
 * broadcast to executors and sliced into batches without per-row objects.
 *
 * @param tokens row-major {@code rows × seqLen}
 * @param targets the label read at the last position, one per row
 */
public record TokenTable(int seqLen, int[] tokens, int[] targets) implements Serializable {
  public TokenTable {
    if (seqLen <= 0 || tokens.length != (long) targets.length * seqLen) {
      throw new IllegalArgumentException(
          "tokens length " + tokens.length + " != rows " + targets.length + " × seqLen " + seqLen);
    }
  }

  public int rows() {
    return targets.length;
  }

  /** The first {@code n} rows (all when {@code n} ≥ rows). */
  public TokenTable head(int n) {
    int m = Math.min(n, rows());
    return new TokenTable(
        seqLen, Arrays.copyOf(tokens, m * seqLen), Arrays.copyOf(targets, m));
  }
}
