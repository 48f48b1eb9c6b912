package io.mechsweep.datagen.varassign;

import io.mechsweep.datagen.RowRandom;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Pure functions from (spec, stream, index) to varassign sequences: the training distribution,
 * sampled fresh for every step, and the evaluation pools.
 *
 * <p>Training distribution (public code: uniform draws over the rows of {@code perm_table} kept
 * by {@code train_mask}, train.py:141-200, 405-413): per number pair that table keeps 12 type-0
 * rows (one per variable, which only becomes a distractor), 10 type-1 rows (a..j), 10 type-2
 * rows (c..l) and 10 type-3 rows (its variable column minus k, l; the operand pair is then
 * drawn from the 92 allowed pairs). So a training sequence has type 0, 1, 2, 3 with weights
 * 12 : 10 : 10 : 10 (0.286, 0.238, 0.238, 0.238), a training number pair drawn uniformly and
 * its operand variables drawn uniformly among those allowed in their slots.
 *
 * <p>Layout of the 12-token prefix (public code {@code build_sequence}, train.py:279-335):
 *
 * <ul>
 *   <li>the number of assignments is uniform in 1..6, raised to 2 for type 3 (so 2 has weight
 *       2/6 there; train.py:294, 302-303 — their 2-variable eval pools draw 2..6 uniformly,
 *       eval_pools.py:179; we use the training law for every pool, so a held-out pool differs
 *       from training only in what its name says);
 *   <li>the operands' assignments carry their values; the other assignments are distractors
 *       with distinct variables (different from the operands') drawn without replacement and
 *       values uniform in 0..58 (train.py:305-314); type 0 has only distractors;
 *   <li>the assignments are shuffled, then each of the {@code 12 − 2n} PADs falls into one of
 *       the {@code n + 1} gaps (before, between, after the assignments) independently and
 *       uniformly (train.py:316-328).
 * </ul>
 *
 * Random streams (see {@link RowRandom}): 0 draws the partition, 1 turns a training stream seed
 * into a row seed, 2 is a training row, 16 + ordinal a pool's row. Training and pool rows thus
 * never share a stream.
 */
public final class VarAssignGenerator implements Serializable {
  /** The {@link VarAssignExample#pool()} of a training example. */
  public static final String TRAIN = "train";

  /** Training type weights for types 0..3 (see the class comment). */
  public static final int[] TRAIN_TYPE_WEIGHTS = {12, 10, 10, 10};

  static final long STREAM_TRAIN_SEED = 1;
  static final long STREAM_TRAIN_ROW = 2;
  static final long STREAM_POOL_BASE = 16;

  private static final int TRAIN_WEIGHT_TOTAL = Arrays.stream(TRAIN_TYPE_WEIGHTS).sum();
  private static final VarAssignPool[] TRAIN_POOL_OF_TYPE = {
    VarAssignPool.TRAIN_0VAR,
    VarAssignPool.TRAIN_1VAR_LEFT,
    VarAssignPool.TRAIN_1VAR_RIGHT,
    VarAssignPool.TRAIN_2VAR
  };

  private final VarAssignSpec spec;
  private final VarAssignPartition partition;
  private final long[] poolOffsets; // by ordinal; the last entry is the total

  public VarAssignGenerator(VarAssignSpec spec) {
    this.spec = spec;
    this.partition = VarAssignPartition.of(spec);
    VarAssignPool[] pools = VarAssignPool.values();
    poolOffsets = new long[pools.length + 1];
    for (int i = 0; i < pools.length; i++) {
      poolOffsets[i + 1] = poolOffsets[i] + pools[i].size(spec);
    }
  }

  public VarAssignSpec spec() {
    return spec;
  }

  public VarAssignPartition partition() {
    return partition;
  }

  /**
   * Sequence {@code index} of training stream {@code streamSeed} (a member's seed): a pure
   * function of (spec, streamSeed, index). {@link VarAssignExample#row()} is {@code index}.
   */
  public VarAssignExample trainExample(long streamSeed, long index) {
    return trainExampleOfRowSeed(trainRowSeed(streamSeed), index);
  }

  /** The seed of a training stream's rows; mixes in the dataset seed. */
  long trainRowSeed(long streamSeed) {
    return RowRandom.of(spec.seed(), STREAM_TRAIN_SEED, streamSeed).nextLong();
  }

  VarAssignExample trainExampleOfRowSeed(long rowSeed, long index) {
    RowRandom random = RowRandom.of(rowSeed, STREAM_TRAIN_ROW, index);
    int w = random.nextInt(TRAIN_WEIGHT_TOTAL);
    int type = 0;
    while (w >= TRAIN_TYPE_WEIGHTS[type]) {
      w -= TRAIN_TYPE_WEIGHTS[type];
      type++;
    }
    int code = partition.trainPairCode(random.nextInt(partition.trainPairCount()));
    int[][] slots = TRAIN_POOL_OF_TYPE[type].slots();
    int[] slot = slots[random.nextInt(slots.length)];
    return build(random, slot, code, index, TRAIN);
  }

  /**
   * Row {@code index} (0 ≤ index < {@code pool.size(spec)}) of an evaluation pool: a pure
   * function of (spec, pool, index). {@link VarAssignExample#row()} is its dataset row,
   * {@code poolOffset(pool) + index}.
   */
  public VarAssignExample poolExample(VarAssignPool pool, long index) {
    long size = pool.size(spec);
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(
          "row " + index + " of pool " + pool.label() + " with " + size + " rows");
    }
    RowRandom random = RowRandom.of(spec.seed(), STREAM_POOL_BASE + pool.ordinal(), index);
    int[][] slots = pool.slots();
    int pairIndex;
    int[] slot;
    if (pool.exhaustive(spec)) {
      pairIndex = (int) (index / slots.length);
      slot = slots[(int) (index % slots.length)];
    } else {
      // With replacement, like the public code's rng.choice (eval_pools.py:333-335).
      int pairs = pool.heldOutPairs() ? partition.heldOutPairCount() : partition.trainPairCount();
      pairIndex = random.nextInt(pairs);
      slot = slots[random.nextInt(slots.length)];
    }
    int code =
        pool.heldOutPairs()
            ? partition.heldOutPairCode(pairIndex)
            : partition.trainPairCode(pairIndex);
    return build(random, slot, code, poolOffsets[pool.ordinal()] + index, pool.label());
  }

  /** The first dataset row of a pool. */
  public long poolOffset(VarAssignPool pool) {
    return poolOffsets[pool.ordinal()];
  }

  /** Rows of all pools together: the dataset's row count. */
  public long totalPoolRows() {
    return poolOffsets[poolOffsets.length - 1];
  }

  /** Dataset row {@code row}: pools lie one after another in {@link VarAssignPool} order. */
  public VarAssignExample datasetRow(long row) {
    if (row < 0 || row >= totalPoolRows()) {
      throw new IndexOutOfBoundsException("row " + row + " of " + totalPoolRows());
    }
    VarAssignPool[] pools = VarAssignPool.values();
    int p = 0;
    while (row >= poolOffsets[p + 1]) {
      p++;
    }
    return poolExample(pools[p], row - poolOffsets[p]);
  }

  /** Lays a query and its assignments out as 16 tokens; slot = {type, leftVar, rightVar}. */
  private static VarAssignExample build(
      RowRandom random, int[] slot, int pairCode, long row, String pool) {
    int type = slot[0];
    int leftVar = slot[1];
    int rightVar = slot[2];
    int n1 = pairCode / VarAssignRules.P;
    int n2 = pairCode % VarAssignRules.P;
    int operands = (leftVar >= 0 ? 1 : 0) + (rightVar >= 0 ? 1 : 0);

    int n = Math.max(random.nextInt(1, VarAssignRules.MAX_ASSIGNMENTS), operands);
    int[] vars = new int[n];
    int[] values = new int[n];
    int k = 0;
    if (leftVar >= 0) {
      vars[k] = leftVar;
      values[k++] = n1;
    }
    if (rightVar >= 0) {
      vars[k] = rightVar;
      values[k++] = n2;
    }
    // Distractors: distinct variables other than the operands', by partial Fisher–Yates.
    int[] free = new int[VarAssignRules.VARIABLES - operands];
    int f = 0;
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      if (v != leftVar && v != rightVar) {
        free[f++] = v;
      }
    }
    for (int i = 0; k < n; i++) {
      int j = i + random.nextInt(free.length - i);
      int tmp = free[i];
      free[i] = free[j];
      free[j] = tmp;
      vars[k] = free[i];
      values[k++] = random.nextInt(VarAssignRules.P);
    }
    // Shuffle the assignments.
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tv = vars[i];
      vars[i] = vars[j];
      vars[j] = tv;
      int tx = values[i];
      values[i] = values[j];
      values[j] = tx;
    }
    // Each PAD falls into one of the n + 1 gaps independently.
    int[] gaps = new int[n + 1];
    for (int pad = VarAssignRules.PREFIX_LEN - 2 * n; pad > 0; pad--) {
      gaps[random.nextInt(n + 1)]++;
    }

    int[] tokens = new int[VarAssignRules.SEQ_LEN];
    Arrays.fill(tokens, 0, VarAssignRules.PREFIX_LEN, VarAssignRules.PAD);
    int leftValuePos = -1;
    int rightValuePos = -1;
    int pos = 0;
    for (int i = 0; i < n; i++) {
      pos += gaps[i];
      tokens[pos] = VarAssignRules.variableToken(vars[i]);
      tokens[pos + 1] = values[i];
      if (vars[i] == leftVar) {
        leftValuePos = pos + 1;
      } else if (vars[i] == rightVar) {
        rightValuePos = pos + 1;
      }
      pos += 2;
    }
    tokens[VarAssignRules.PLUS_POS] = VarAssignRules.PLUS;
    tokens[VarAssignRules.LHS_POS] = leftVar >= 0 ? VarAssignRules.variableToken(leftVar) : n1;
    tokens[VarAssignRules.RHS_POS] = rightVar >= 0 ? VarAssignRules.variableToken(rightVar) : n2;
    tokens[VarAssignRules.EQUALS_POS] = VarAssignRules.EQUALS;
    return new VarAssignExample(
        row, type, tokens, VarAssignRules.label(n1, n2), n1, n2, leftVar, rightVar,
        leftValuePos, rightValuePos, pool);
  }
}
