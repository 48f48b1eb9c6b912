package io.mechsweep.datagen.lego;

import io.mechsweep.datagen.RowRandom;

/**
 * Draws LEGO chains as a pure function of (dataset seed, split, row index): a fresh permutation
 * of a..z names each sequence's variables, the root value and every operation are fair coins,
 * and the clause order is a uniform permutation.
 */
public record LegoGenerator(LegoSpec spec) implements java.io.Serializable {
  public static final String TRAIN = "train";
  public static final String TEST = "test";

  public LegoChain chain(String split, long row) {
    RowRandom random = RowRandom.of(spec.seed(), streamOf(split), row);
    int n = spec.chainLength();
    int[] letters = random.permutation(LegoRules.LETTERS);
    int[] names = new int[n];
    System.arraycopy(letters, 0, names, 0, n);
    int root = random.nextInt(2);
    int[] ops = new int[n - 1];
    for (int k = 0; k < ops.length; k++) {
      ops[k] = random.nextInt(2) == 0 ? LegoRules.VAL : LegoRules.NOT;
    }
    return new LegoChain(row, split, names, root, ops, random.permutation(n));
  }

  /** Row {@code index} of the dataset: the training rows, then the test rows. */
  public LegoChain datasetRow(long index) {
    return index < spec.trainRows() ? chain(TRAIN, index) : chain(TEST, index - spec.trainRows());
  }

  public long rowCount() {
    return (long) spec.trainRows() + spec.testRows();
  }

  private static long streamOf(String split) {
    return switch (split) {
      case TRAIN -> 1;
      case TEST -> 2;
      default -> throw new IllegalArgumentException("no LEGO split " + split);
    };
  }
}
