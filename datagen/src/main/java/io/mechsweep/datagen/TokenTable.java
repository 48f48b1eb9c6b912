package io.mechsweep.datagen;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Fixed-length token sequences with their targets, stored flat so a split can be broadcast to
 * executors and sliced into batches without per-row objects.
 *
 * <p>Each row is read at {@code reads} positions. The common case (anchor, varassign) reads one
 * target at the last position: {@code readPositions} is then null and the model computes its
 * last block at that position only. Tasks that read several positions (lego's chain, topics'
 * masked tokens) give them per row, and a loss mask says which reads the loss covers (the
 * others are still scored).
 *
 * @param tokens row-major {@code rows × seqLen}
 * @param targets row-major {@code rows × reads}; a negative target is a padding read, never
 *     scored nor in the loss
 * @param readPositions row-major {@code rows × reads}, or null for the last position
 * @param lossMask row-major {@code rows × reads} with 1 where the loss counts, or null for all
 * @param keyMask row-major {@code rows × seqLen} with 1 where attention may look and 0 where not
 *     (padding, the masked-LM's chosen positions), or null: every position is a key
 */
public record TokenTable(
    int seqLen, int reads, int[] tokens, int[] targets, int[] readPositions, float[] lossMask, float[] keyMask)
    implements Serializable {

  /** Every position is a key. */
  public TokenTable(int seqLen, int reads, int[] tokens, int[] targets, int[] readPositions, float[] lossMask) {
    this(seqLen, reads, tokens, targets, readPositions, lossMask, null);
  }

  public TokenTable {
    if (seqLen <= 0 || reads <= 0 || tokens.length % seqLen != 0) {
      throw new IllegalArgumentException(
          "tokens length " + tokens.length + " is not rows × seqLen " + seqLen);
    }
    int rows = tokens.length / seqLen;
    if (targets.length != (long) rows * reads) {
      throw new IllegalArgumentException(
          "targets length " + targets.length + " != rows " + rows + " × reads " + reads);
    }
    if (readPositions == null && reads != 1) {
      throw new IllegalArgumentException("several reads per row need their positions");
    }
    if (readPositions != null && readPositions.length != targets.length) {
      throw new IllegalArgumentException("one read position per target needed");
    }
    if (lossMask != null && lossMask.length != targets.length) {
      throw new IllegalArgumentException("one loss-mask entry per target needed");
    }
    if (keyMask != null && keyMask.length != tokens.length) {
      throw new IllegalArgumentException("one key-mask entry per token needed");
    }
    if (keyMask != null && readPositions == null) { // the last-position shortcut takes no mask
      throw new IllegalArgumentException("a key mask needs explicit read positions");
    }
    if (readPositions != null) {
      for (int p : readPositions) {
        if (p < 0 || p >= seqLen) {
          throw new IllegalArgumentException("read position " + p + " outside 0.." + (seqLen - 1));
        }
      }
    }
  }

  /** One target per row, read at the last position. */
  public TokenTable(int seqLen, int[] tokens, int[] targets) {
    this(seqLen, 1, tokens, targets, null, null);
  }

  public int rows() {
    return tokens.length / seqLen;
  }

  /** Whether every row is read once, at its last position (the model's shortcut applies). */
  public boolean readsLastOnly() {
    return readPositions == null;
  }

  /**
   * The same table read {@code r ≥ reads} times per row: the added reads are padding (position 0,
   * target −1: neither loss nor score), so tables of a pack can share one read count.
   */
  public TokenTable withReads(int r) {
    if (r == reads) {
      return this;
    }
    if (r < reads || readPositions == null) {
      throw new IllegalArgumentException("can pad explicit reads only, from " + reads + " to more, not " + r);
    }
    int rows = rows();
    int[] t = new int[rows * r];
    int[] p = new int[rows * r];
    float[] m = lossMask == null ? null : new float[rows * r];
    java.util.Arrays.fill(t, -1);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(targets, i * reads, t, i * r, reads);
      System.arraycopy(readPositions, i * reads, p, i * r, reads);
      if (m != null) {
        System.arraycopy(lossMask, i * reads, m, i * r, reads);
      }
    }
    return new TokenTable(seqLen, r, tokens, t, p, m, keyMask);
  }

  /** The first {@code n} rows (all when {@code n} ≥ rows). */
  public TokenTable head(int n) {
    int[] all = new int[Math.min(n, rows())];
    Arrays.setAll(all, i -> i);
    return select(all);
  }

  /** The given rows, in that order (repeats allowed). */
  public TokenTable select(int[] rowIndices) {
    int m = rowIndices.length;
    int[] t = new int[m * seqLen];
    int[] y = new int[m * reads];
    int[] pos = readPositions == null ? null : new int[m * reads];
    float[] mask = lossMask == null ? null : new float[m * reads];
    float[] keys = keyMask == null ? null : new float[m * seqLen];
    for (int i = 0; i < m; i++) {
      int r = rowIndices[i];
      System.arraycopy(tokens, r * seqLen, t, i * seqLen, seqLen);
      System.arraycopy(targets, r * reads, y, i * reads, reads);
      if (pos != null) {
        System.arraycopy(readPositions, r * reads, pos, i * reads, reads);
      }
      if (mask != null) {
        System.arraycopy(lossMask, r * reads, mask, i * reads, reads);
      }
      if (keys != null) {
        System.arraycopy(keyMask, r * seqLen, keys, i * seqLen, seqLen);
      }
    }
    return new TokenTable(seqLen, reads, t, y, pos, mask, keys);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenTable other
        && seqLen == other.seqLen
        && reads == other.reads
        && Arrays.equals(tokens, other.tokens)
        && Arrays.equals(targets, other.targets)
        && Arrays.equals(readPositions, other.readPositions)
        && Arrays.equals(lossMask, other.lossMask);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(targets);
  }

  @Override
  public String toString() {
    return "TokenTable[rows=" + rows() + ", seqLen=" + seqLen + ", reads=" + reads + "]";
  }
}
