package io.mechsweep.datagen.varassign;

import java.io.Serializable;

/**
 * Everything that determines a varassign dataset and its training stream. Equal specs give
 * byte-identical pools and the same training sequences for the same member seed.
 *
 * @param seed the dataset seed: it draws the training number pairs and every pool row
 * @param trainPairFraction share of the 3,481 ordered number pairs seen in training; the count
 *     is {@code floor(fraction × 3481)} like the public code (train.py:115), 2,436 for 0.7
 * @param poolSize sequences per evaluation pool; a pool with fewer distinct (number pair,
 *     variable slots) combinations than this is enumerated exhaustively instead
 */
public record VarAssignSpec(long seed, double trainPairFraction, int poolSize)
    implements Serializable {

  public static final double PAPER_TRAIN_PAIR_FRACTION = 0.7;
  public static final int PAPER_POOL_SIZE = 2000;
  public static final int MAX_POOL_SIZE = 1_000_000;

  public VarAssignSpec {
    if (!(trainPairFraction > 0 && trainPairFraction < 1)) {
      throw new IllegalArgumentException(
          "trainPairFraction must be in (0, 1), got " + trainPairFraction);
    }
    if (trainPairCount(trainPairFraction) < 1) { // fraction < 1 always leaves one pair out
      throw new IllegalArgumentException(
          "trainPairFraction must be at least 1/3481 so that one number pair is trained, got "
              + trainPairFraction);
    }
    if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "poolSize must be in 1.." + MAX_POOL_SIZE + ", got " + poolSize);
    }
  }

  /** The paper's settings: 70% of the number pairs in training, 2,000 sequences per pool. */
  public static VarAssignSpec paper(long seed) {
    return new VarAssignSpec(seed, PAPER_TRAIN_PAIR_FRACTION, PAPER_POOL_SIZE);
  }

  /** Number pairs seen in training (2,436 for the paper). */
  public int trainPairCount() {
    return trainPairCount(trainPairFraction);
  }

  /** Number pairs never seen in training (1,045 for the paper). */
  public int heldOutPairCount() {
    return VarAssignRules.NUMBER_PAIRS - trainPairCount();
  }

  private static int trainPairCount(double fraction) {
    return (int) Math.floor(fraction * VarAssignRules.NUMBER_PAIRS);
  }
}
