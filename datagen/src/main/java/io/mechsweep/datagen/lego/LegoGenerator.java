package io.mechsweep.datagen.lego;

import io.mechsweep.datagen.RowRandom;
import java.util.List;

/**
 * Draws LEGO chains as a pure function of (dataset seed, split, row index): a fresh permutation
 * of a..z names each sequence's variables, the root value and every operation are fair coins,
 * and the clause order is a uniform permutation. A training row of a length mixture draws its
 * length first, from the same stream.
 */
public record LegoGenerator(LegoSpec spec) implements java.io.Serializable {
  public static final String TRAIN = "train";
  public static final String TEST = "test";
  /** Fresh training chains ({@link LegoFreshSource}) draw from their own stream per member. */
  private static final long FRESH_STREAM = 3;
  /** Streams of the further test lengths: 100 + length, far from the others. */
  private static final long LENGTH_STREAMS = 100;

  public LegoChain chain(String split, long row) {
    RowRandom random = RowRandom.of(spec.seed(), streamOf(split), row);
    int n;
    if (split.equals(TRAIN)) {
      List<Integer> lengths = spec.trainingLengths();
      n = spec.trainLengths() == null ? spec.chainLength() : lengths.get(random.nextInt(lengths.size()));
    } else {
      n = lengthOf(split);
    }
    return draw(random, row, split, n);
  }

  /**
   * Fresh training chain {@code index} of a member, its length drawn uniformly from {@code lengths}
   * (a curriculum stage, or the spec's training lengths): a pure function of (dataset seed,
   * member seed, index, lengths).
   */
  public LegoChain freshChain(long memberSeed, long index, List<Integer> lengths) {
    RowRandom random = RowRandom.of(spec.seed() ^ (memberSeed * 0x9E3779B97F4A7C15L), FRESH_STREAM, index);
    int n = lengths.size() == 1 ? lengths.get(0) : lengths.get(random.nextInt(lengths.size()));
    return draw(random, index, TRAIN, n);
  }

  private static LegoChain draw(RowRandom random, long row, String split, int n) {
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

  /** Row {@code index} of the dataset: the training rows, then the test rows of each test length. */
  public LegoChain datasetRow(long index) {
    if (index < spec.trainRows()) {
      return chain(TRAIN, index);
    }
    long i = index - spec.trainRows();
    List<Integer> lengths = spec.allTestLengths();
    int which = (int) (i / spec.testRows());
    return chain(spec.testSplit(lengths.get(which)), i % spec.testRows());
  }

  public long rowCount() {
    return (long) spec.trainRows() + (long) spec.testRows() * spec.allTestLengths().size();
  }

  private int lengthOf(String split) {
    for (int n : spec.allTestLengths()) {
      if (spec.testSplit(n).equals(split)) {
        return n;
      }
    }
    throw new IllegalArgumentException("no LEGO split " + split + "; the spec has train and "
        + spec.allTestLengths().stream().map(spec::testSplit).toList());
  }

  private long streamOf(String split) {
    if (split.equals(TRAIN)) {
      return 1;
    }
    if (split.equals(TEST)) {
      return 2;
    }
    return LENGTH_STREAMS + lengthOf(split);
  }
}
