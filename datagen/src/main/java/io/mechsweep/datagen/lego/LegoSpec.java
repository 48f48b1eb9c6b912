package io.mechsweep.datagen.lego;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * Everything that determines a LEGO dataset: equal specs give byte-identical rows.
 *
 * <p>Chain lengths may differ between training and testing. Every sequence is padded with
 * {@link LegoRules#PAD} to the longest length any split holds ({@link #seqLen}), so one model
 * reads them all. The two lists are left out of the dataset id when null, so the datasets of
 * specs without them keep their ids.
 *
 * @param chainLength variables per chain (n; the paper's 12): the length of the {@code test}
 *     split, and of every training chain unless {@code trainLengths} says otherwise
 * @param supervised the loss covers chain positions 1..supervised (the paper's 6), or all of a
 *     shorter chain; accuracy is reported for every position
 * @param trainRows training sequences (the paper's 120,000), drawn in seeded epochs
 * @param testRows test sequences per test length (the paper's 12,000), evaluated in both clause
 *     orders at {@code chainLength}
 * @param trainLengths the chain lengths of training rows, each row's drawn uniformly from the
 *     list (a length mixture); null: every row is {@code chainLength} long
 * @param testLengths further test lengths beside {@code chainLength}, one split each
 *     ({@link #testSplit}); null: none
 */
public record LegoSpec(
    long seed, int chainLength, int supervised, int trainRows, int testRows,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> trainLengths,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> testLengths)
    implements Serializable {

  public static final int PAPER_CHAIN_LENGTH = 12;
  public static final int PAPER_SUPERVISED = 6;
  public static final int PAPER_TRAIN_ROWS = 120_000;
  public static final int PAPER_TEST_ROWS = 12_000;
  public static final int MAX_ROWS = 10_000_000;

  public LegoSpec(long seed, int chainLength, int supervised, int trainRows, int testRows) {
    this(seed, chainLength, supervised, trainRows, testRows, null, null);
  }

  public LegoSpec {
    trainLengths = trainLengths == null ? null : List.copyOf(trainLengths);
    testLengths = testLengths == null ? null : List.copyOf(testLengths);
    requireLength("chainLength", chainLength);
    if (trainLengths != null) {
      requireLengths("trainLengths", trainLengths);
    }
    if (testLengths != null) {
      requireLengths("testLengths", testLengths);
      if (testLengths.contains(chainLength)) {
        throw new IllegalArgumentException("testLengths must not repeat chainLength " + chainLength);
      }
    }
    int longestTrain = longestTraining(trainLengths, chainLength);
    if (supervised < 1 || supervised > longestTrain) {
      throw new IllegalArgumentException(
          "supervised must be in 1.." + longestTrain + " (the longest training chain), got " + supervised);
    }
    if (trainRows < 1 || trainRows > MAX_ROWS || testRows < 1 || testRows > MAX_ROWS) {
      throw new IllegalArgumentException(
          "trainRows and testRows must be in 1.." + MAX_ROWS + ", got " + trainRows + ", " + testRows);
    }
  }

  /** The longest training chain: the last of {@code trainLengths} (increasing), or {@code chainLength} when null. */
  public static int longestTraining(List<Integer> trainLengths, int chainLength) {
    return trainLengths == null ? chainLength : trainLengths.get(trainLengths.size() - 1);
  }

  /** {@link #longestTraining(List, int)} of this spec: what a training row's reads are padded to. */
  public int longestTrainingChain() {
    return longestTraining(trainLengths, chainLength);
  }

  /** The lengths training rows are drawn from, shortest first. */
  public List<Integer> trainingLengths() {
    return trainLengths == null ? List.of(chainLength) : trainLengths;
  }

  /** Every test length, {@code chainLength} first. */
  public List<Integer> allTestLengths() {
    List<Integer> all = new java.util.ArrayList<>(List.of(chainLength));
    if (testLengths != null) {
      all.addAll(testLengths);
    }
    return List.copyOf(all);
  }

  /** The longest chain of any split: what sequences are padded to. */
  public int longestChain() {
    int longest = Math.max(chainLength, longestTrainingChain());
    for (int n : allTestLengths()) {
      longest = Math.max(longest, n);
    }
    return longest;
  }

  /** Tokens of every sequence, padding included: {@code [CLS] + 5·longest + [SEP]}. */
  public int seqLen() {
    return LegoRules.seqLen(longestChain());
  }

  /** The split holding test chains of {@code length}: {@code test}, or {@code test_n<length>} for the others. */
  public String testSplit(int length) {
    return length == chainLength ? LegoGenerator.TEST : LegoGenerator.TEST + "_n" + length;
  }

  private static void requireLength(String field, int n) {
    if (n < 2 || n > LegoRules.MAX_CHAIN_LENGTH) {
      throw new IllegalArgumentException(field + " must be in 2.." + LegoRules.MAX_CHAIN_LENGTH + ", got " + n);
    }
  }

  private static void requireLengths(String field, List<Integer> lengths) {
    if (lengths.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    for (int i = 0; i < lengths.size(); i++) {
      requireLength(field, lengths.get(i));
      if (i > 0 && lengths.get(i) <= lengths.get(i - 1)) {
        throw new IllegalArgumentException(field + " must be increasing, got " + lengths);
      }
    }
  }
}
