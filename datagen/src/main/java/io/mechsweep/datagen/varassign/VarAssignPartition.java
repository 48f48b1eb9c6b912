package io.mechsweep.datagen.varassign;

import io.mechsweep.datagen.RowRandom;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What training may see: a fixed random subset of the ordered number pairs and, for variables,
 * which operand slot each may fill.
 *
 * <ul>
 *   <li>Number pairs: {@code floor(fraction × 3481)} of the 3,481 ordered pairs (2,436 for the
 *       paper), drawn from the dataset seed by a seeded Fisher–Yates shuffle. The public code
 *       draws them with Python's {@code random.sample} (train.py:178); our draw is our own, so
 *       the pairs differ from theirs but the count and the rule are the same.
 *   <li>Slots: a, b are never the right operand and k, l never the left operand in training
 *       (public code: {@code LEFT_RESTRICT_VARS = VARS[:2]} excluded from type 2,
 *       {@code RIGHT_RESTRICT_VARS = VARS[-2:]} excluded from type 1, train.py:82-90, 185-188).
 *       Two-variable training uses the 92 ordered pairs (left in a..j, right in c..l, distinct;
 *       {@code enumerate_valid_2var_pairs}, eval_pools.py:209).
 * </ul>
 */
public final class VarAssignPartition implements Serializable {
  /** Variables never used as the right operand in training (a, b). */
  public static final int[] NOT_RIGHT_OPERAND = {0, 1};
  /** Variables never used as the left operand in training (k, l). */
  public static final int[] NOT_LEFT_OPERAND = {10, 11};

  static final long STREAM_PARTITION = 0;

  private final VarAssignSpec spec;
  private final boolean[] trainPair; // by pair code n1·59 + n2
  private final int[] trainCodes; // ascending
  private final int[] heldOutCodes; // ascending
  private final int[][] allowedVariablePairs; // 92, ascending (left, right)

  private VarAssignPartition(VarAssignSpec spec) {
    this.spec = spec;
    int n = VarAssignRules.NUMBER_PAIRS;
    int[] codes = new int[n];
    Arrays.setAll(codes, i -> i);
    RowRandom random = RowRandom.of(spec.seed(), STREAM_PARTITION, 0);
    int k = spec.trainPairCount();
    // Partial Fisher–Yates: the first k slots become a uniform random k-subset.
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int tmp = codes[i];
      codes[i] = codes[j];
      codes[j] = tmp;
    }
    trainPair = new boolean[n];
    for (int i = 0; i < k; i++) {
      trainPair[codes[i]] = true;
    }
    trainCodes = new int[k];
    heldOutCodes = new int[n - k];
    int t = 0;
    int h = 0;
    for (int c = 0; c < n; c++) {
      if (trainPair[c]) {
        trainCodes[t++] = c;
      } else {
        heldOutCodes[h++] = c;
      }
    }
    allowedVariablePairs = variablePairs(0);
  }

  public static VarAssignPartition of(VarAssignSpec spec) {
    return new VarAssignPartition(spec);
  }

  public VarAssignSpec spec() {
    return spec;
  }

  public boolean isTrainPair(int n1, int n2) {
    return trainPair[VarAssignRules.pairCode(n1, n2)];
  }

  /** The training number pairs as {n1, n2}, ascending (n1-major). */
  public List<int[]> trainPairs() {
    return decode(trainCodes);
  }

  /** The number pairs never seen in training, ascending. */
  public List<int[]> heldOutPairs() {
    return decode(heldOutCodes);
  }

  public int trainPairCount() {
    return trainCodes.length;
  }

  public int heldOutPairCount() {
    return heldOutCodes.length;
  }

  /** Pair codes {@code n1·59 + n2} of the training pairs, ascending (a copy). */
  public int[] trainPairCodes() {
    return trainCodes.clone();
  }

  /** Pair codes of the held-out pairs, ascending (a copy). */
  public int[] heldOutPairCodes() {
    return heldOutCodes.clone();
  }

  /** The {@code i}-th training pair code (ascending order), without copying. */
  int trainPairCode(int i) {
    return trainCodes[i];
  }

  /** The {@code i}-th held-out pair code (ascending order), without copying. */
  int heldOutPairCode(int i) {
    return heldOutCodes[i];
  }

  /** Whether variable {@code var} (0..11) may be the left operand in training. */
  public boolean leftAllowed(int var) {
    return !contains(NOT_LEFT_OPERAND, checkVariable(var));
  }

  /** Whether variable {@code var} (0..11) may be the right operand in training. */
  public boolean rightAllowed(int var) {
    return !contains(NOT_RIGHT_OPERAND, checkVariable(var));
  }

  /** The 92 ordered (left, right) variable pairs of two-variable training, ascending. */
  public List<int[]> allowedVariablePairs() {
    return copy(allowedVariablePairs);
  }

  /**
   * Distinct ordered variable pairs with exactly {@code restrictedSlots} (0, 1 or 2) operands in
   * a slot training never uses: 0 → the 92 allowed pairs, 1 → 36, 2 → 4 (k/l left with a/b
   * right).
   * Together 132 = 12 × 11. Public code: {@code _enumerate_2var_pairs_for_kind},
   * eval_pools.py:224.
   */
  public static int[][] variablePairs(int restrictedSlots) {
    if (restrictedSlots < 0 || restrictedSlots > 2) {
      throw new IllegalArgumentException("restrictedSlots must be in 0..2, got " + restrictedSlots);
    }
    List<int[]> out = new ArrayList<>();
    for (int l = 0; l < VarAssignRules.VARIABLES; l++) {
      for (int r = 0; r < VarAssignRules.VARIABLES; r++) {
        if (l == r) {
          continue;
        }
        int bad =
            (contains(NOT_LEFT_OPERAND, l) ? 1 : 0) + (contains(NOT_RIGHT_OPERAND, r) ? 1 : 0);
        if (bad == restrictedSlots) {
          out.add(new int[] {l, r});
        }
      }
    }
    return out.toArray(int[][]::new);
  }

  /**
   * The partition for the dataset metadata: which number pairs training saw (as ascending pair
   * codes {@code n1·59 + n2}) and which slots each variable was kept out of.
   */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trainPairCount", trainCodes.length);
    out.put("heldOutPairCount", heldOutCodes.length);
    out.put("pairCodeRule", "n1*59+n2");
    out.put("trainPairCodes", Arrays.stream(trainCodes).boxed().toList());
    out.put("notLeftOperand", names(NOT_LEFT_OPERAND));
    out.put("notRightOperand", names(NOT_RIGHT_OPERAND));
    out.put("allowedVariablePairCount", allowedVariablePairs.length);
    out.put(
        "twoVariableRule", "left not in notLeftOperand, right not in notRightOperand, distinct");
    return out;
  }

  private static List<String> names(int[] vars) {
    return Arrays.stream(vars)
        .mapToObj(v -> VarAssignRules.variableName(VarAssignRules.variableToken(v)))
        .toList();
  }

  private static int checkVariable(int var) {
    if (var < 0 || var >= VarAssignRules.VARIABLES) {
      throw new IllegalArgumentException("variable index must be in 0..11, got " + var);
    }
    return var;
  }

  static boolean contains(int[] set, int v) {
    for (int x : set) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static List<int[]> decode(int[] codes) {
    List<int[]> out = new ArrayList<>(codes.length);
    for (int c : codes) {
      out.add(new int[] {c / VarAssignRules.P, c % VarAssignRules.P});
    }
    return out;
  }

  private static List<int[]> copy(int[][] pairs) {
    List<int[]> out = new ArrayList<>(pairs.length);
    for (int[] p : pairs) {
      out.add(p.clone());
    }
    return out;
  }
}
