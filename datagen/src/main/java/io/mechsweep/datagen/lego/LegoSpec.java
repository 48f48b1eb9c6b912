package io.mechsweep.datagen.lego;

import java.io.Serializable;

/**
 * Everything that determines a LEGO dataset: equal specs give byte-identical rows.
 *
 * @param chainLength variables per chain (n; the paper's 12)
 * @param supervised the loss covers chain positions 1..supervised (the paper's 6); accuracy is
 *     reported for every position
 * @param trainRows training sequences (the paper's 120,000), drawn in seeded epochs
 * @param testRows test sequences (the paper's 12,000), evaluated in both clause orders
 */
public record LegoSpec(long seed, int chainLength, int supervised, int trainRows, int testRows)
    implements Serializable {

  public static final int PAPER_CHAIN_LENGTH = 12;
  public static final int PAPER_SUPERVISED = 6;
  public static final int PAPER_TRAIN_ROWS = 120_000;
  public static final int PAPER_TEST_ROWS = 12_000;
  public static final int MAX_ROWS = 10_000_000;

  public LegoSpec {
    if (chainLength < 2 || chainLength > LegoRules.MAX_CHAIN_LENGTH) {
      throw new IllegalArgumentException(
          "chainLength must be in 2.." + LegoRules.MAX_CHAIN_LENGTH + ", got " + chainLength);
    }
    if (supervised < 1 || supervised > chainLength) {
      throw new IllegalArgumentException("supervised must be in 1..chainLength (" + chainLength + "), got " + supervised);
    }
    if (trainRows < 1 || trainRows > MAX_ROWS || testRows < 1 || testRows > MAX_ROWS) {
      throw new IllegalArgumentException(
          "trainRows and testRows must be in 1.." + MAX_ROWS + ", got " + trainRows + ", " + testRows);
    }
  }

  public int seqLen() {
    return LegoRules.seqLen(chainLength);
  }
}
