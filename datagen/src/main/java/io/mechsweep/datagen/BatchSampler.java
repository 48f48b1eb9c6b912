package io.mechsweep.datagen;


/**
 * A member's data order: each epoch is a seeded permutation of the training rows, cut into
 * batches (the remainder of an epoch is dropped). Batch {@code step} is a pure function of
 * (seed, step), which is what lets a resumed run see exactly the batches it would have seen.
 */
public final class BatchSampler {
  private final long seed;
  private final int rows;
  private final int batchSize;
  private final int batchesPerEpoch;
  private int cachedEpoch = -1;
  private int[] permutation;

  public BatchSampler(long seed, int rows, int batchSize) {
    if (batchSize > rows) {
      throw new IllegalArgumentException(
          "batch size " + batchSize + " exceeds the " + rows + " training rows");
    }
    this.seed = seed;
    this.rows = rows;
    this.batchSize = batchSize;
    this.batchesPerEpoch = rows / batchSize;
  }

  /** Row indices of the batch used for update {@code step} (0-based). */
  public int[] batch(int step) {
    int epoch = step / batchesPerEpoch;
    if (epoch != cachedEpoch) {
      permutation = permutation(epoch);
      cachedEpoch = epoch;
    }
    int[] out = new int[batchSize];
    System.arraycopy(permutation, (step % batchesPerEpoch) * batchSize, out, 0, batchSize);
    return out;
  }

  private int[] permutation(int epoch) {
    return RowRandom.of(seed, 7, epoch).permutation(rows);
  }
}
