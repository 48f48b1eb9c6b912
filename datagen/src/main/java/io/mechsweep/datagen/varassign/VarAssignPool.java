package io.mechsweep.datagen.varassign;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The evaluation pools. Each is a set of (number pair, operand slots) combinations drawn
 * uniformly (number pair uniform, slots uniform), the way the public code's
 * {@code generate_special_pool} draws them (eval_pools.py:266-465); the sequence around the
 * query (distractors, order, PADs) follows the training layout.
 *
 * <p>A pool has {@link VarAssignSpec#poolSize()} rows, unless it has no more distinct
 * combinations than that: then it holds each combination exactly once, in ascending (pair,
 * slots) order. At the paper's settings only {@link #UNSEEN_0VAR} is exhaustive (1,045 held-out
 * pairs), like the public code's {@code generate_exact_0var_invalid_pair_pool}
 * (eval_pools.py:470).
 *
 * <p>Correspondence with the public code's pool kinds (eval_pools.py:3-13):
 *
 * <pre>
 *   TRAIN_0VAR            0var_valid_pair
 *   TRAIN_1VAR_LEFT       1var_valid_pair_valid_var, type-1 half   (theirs mixes types 1 and 2)
 *   TRAIN_1VAR_RIGHT      1var_valid_pair_valid_var, type-2 half
 *   TRAIN_2VAR            2var_valid_pair_valid_vars
 *   UNSEEN_0VAR           0var_invalid_pair (exhaustive: generate_exact_0var_invalid_pair_pool)
 *   UNSEEN_1VAR           1var_invalid_pair_valid_var              (types 1 and 2 mixed)
 *   RESTRICTED_1VAR       1var_valid_pair_invalid_var              (types 1 and 2 mixed)
 *   UNSEEN_2VAR           2var_invalid_pair_valid_var
 *   ONE_RESTRICTED_2VAR   2var_valid_pair_1_invalid_var
 *   BOTH_RESTRICTED_2VAR  2var_valid_pair_2_invalid_vars
 * </pre>
 *
 * Their analysis-only "b operand" pools (all number pairs, variable b in either slot) are not
 * evaluation pools here.
 */
public enum VarAssignPool {
  TRAIN_0VAR(false, false, Slots.NUMBERS),
  TRAIN_1VAR_LEFT(false, false, Slots.LEFT_ALLOWED),
  TRAIN_1VAR_RIGHT(false, false, Slots.RIGHT_ALLOWED),
  TRAIN_2VAR(false, false, Slots.TWO_ALLOWED),
  UNSEEN_0VAR(true, true, Slots.NUMBERS),
  UNSEEN_1VAR(true, true, Slots.ONE_ALLOWED),
  RESTRICTED_1VAR(true, false, Slots.ONE_RESTRICTED),
  UNSEEN_2VAR(true, true, Slots.TWO_ALLOWED),
  ONE_RESTRICTED_2VAR(true, false, Slots.TWO_ONE_RESTRICTED),
  BOTH_RESTRICTED_2VAR(true, false, Slots.TWO_BOTH_RESTRICTED);

  /** {@link #type()} of a pool whose rows are of type 1 or 2. */
  public static final int MIXED_ONE_VARIABLE = -1;

  private final boolean heldOut;
  private final boolean heldOutPairs;
  private final Slots slots;

  VarAssignPool(boolean heldOut, boolean heldOutPairs, Slots slots) {
    this.heldOut = heldOut;
    this.heldOutPairs = heldOutPairs;
    this.slots = slots;
  }

  /** Lower snake case, e.g. "unseen_1var": the evaluation-set name and the dataset split. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The example type of every row (0..3), or {@link #MIXED_ONE_VARIABLE} for the held-out
   * one-variable pools whose rows are of type 1 or 2 (see {@link #types()}).
   */
  public int type() {
    int[] t = types();
    return t.length == 1 ? t[0] : MIXED_ONE_VARIABLE;
  }

  /** The example types its rows have, ascending. */
  public int[] types() {
    return switch (slots) {
      case NUMBERS -> new int[] {0};
      case LEFT_ALLOWED -> new int[] {1};
      case RIGHT_ALLOWED -> new int[] {2};
      case ONE_ALLOWED, ONE_RESTRICTED -> new int[] {1, 2};
      default -> new int[] {3};
    };
  }

  /** Operands that are variables: 0, 1 or 2. */
  public int variableOperands() {
    return Math.min(types()[0], 2);
  }

  /** Whether its rows lie outside the training distribution (else: drawn from it). */
  public boolean heldOut() {
    return heldOut;
  }

  /** Whether its number pairs are the held-out ones (else: training pairs). */
  public boolean heldOutPairs() {
    return heldOutPairs;
  }

  /** Distinct (number pair, operand slots) combinations it draws from. */
  public long combinations(VarAssignSpec spec) {
    long pairs = heldOutPairs ? spec.heldOutPairCount() : spec.trainPairCount();
    return pairs * slots().length;
  }

  /** Whether it holds every combination once (there are no more than the pool size). */
  public boolean exhaustive(VarAssignSpec spec) {
    return combinations(spec) <= spec.poolSize();
  }

  /** Rows: the pool size, or the number of combinations when the pool is exhaustive. */
  public long size(VarAssignSpec spec) {
    return Math.min(combinations(spec), spec.poolSize());
  }

  public static VarAssignPool ofLabel(String label) {
    for (VarAssignPool p : values()) {
      if (p.label().equals(label)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no varassign pool labelled '" + label + "'");
  }

  /**
   * The operand slots it draws from, each {type, leftVar, rightVar} with -1 for a number
   * operand, ascending. Shared, not to be modified.
   */
  int[][] slots() {
    return slots.choices;
  }

  /** The operand-slot sets pools draw from (the variable rules are fixed, not in the spec). */
  enum Slots {
    NUMBERS(out -> out.add(new int[] {VarAssignRules.TYPE_NUMBERS, -1, -1})),
    LEFT_ALLOWED(out -> addOne(out, VarAssignRules.TYPE_VAR_LEFT, true)),
    RIGHT_ALLOWED(out -> addOne(out, VarAssignRules.TYPE_VAR_RIGHT, true)),
    ONE_ALLOWED(
        out -> {
          addOne(out, VarAssignRules.TYPE_VAR_LEFT, true);
          addOne(out, VarAssignRules.TYPE_VAR_RIGHT, true);
        }),
    ONE_RESTRICTED(
        out -> {
          addOne(out, VarAssignRules.TYPE_VAR_LEFT, false);
          addOne(out, VarAssignRules.TYPE_VAR_RIGHT, false);
        }),
    TWO_ALLOWED(out -> addTwo(out, 0)),
    TWO_ONE_RESTRICTED(out -> addTwo(out, 1)),
    TWO_BOTH_RESTRICTED(out -> addTwo(out, 2));

    final int[][] choices;

    Slots(Consumer<List<int[]>> build) {
      List<int[]> out = new ArrayList<>();
      build.accept(out);
      choices = out.toArray(int[][]::new);
    }

    /** One-variable slots of a type whose variable is allowed (or not) in that slot. */
    private static void addOne(List<int[]> out, int type, boolean allowed) {
      int[] banned =
          type == VarAssignRules.TYPE_VAR_LEFT
              ? VarAssignPartition.NOT_LEFT_OPERAND
              : VarAssignPartition.NOT_RIGHT_OPERAND;
      for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
        if (VarAssignPartition.contains(banned, v) != allowed) {
          out.add(
              type == VarAssignRules.TYPE_VAR_LEFT
                  ? new int[] {type, v, -1}
                  : new int[] {type, -1, v});
        }
      }
    }

    private static void addTwo(List<int[]> out, int restrictedSlots) {
      for (int[] p : VarAssignPartition.variablePairs(restrictedSlots)) {
        out.add(new int[] {VarAssignRules.TYPE_TWO_VARS, p[0], p[1]});
      }
    }
  }
}
