package io.mechsweep.datagen.lego;

import java.io.Serializable;

/**
 * One LEGO sequence in canonical form: the chain and the order its clauses are written in. The
 * tokens of either clause order are rendered from it, so the shuffled and the sorted training
 * sets hold the same chains.
 *
 * <p>Chain variable k (0-based) is named {@code names[k]}; variable 0 is {@code val rootValue}
 * and variable k > 0 is {@code ops[k-1]} applied to variable k−1. {@code clauseOrder[slot]} is
 * the chain variable whose clause is written in that slot of a shuffled sequence.
 *
 * @param row index in its split
 * @param ops {@link LegoRules#VAL} or {@link LegoRules#NOT} per variable after the root
 */
public record LegoChain(long row, String split, int[] names, int rootValue, int[] ops, int[] clauseOrder)
    implements Serializable {

  public LegoChain {
    int n = names.length;
    if (ops.length != n - 1 || clauseOrder.length != n || (rootValue != 0 && rootValue != 1)) {
      throw new IllegalArgumentException("inconsistent chain: " + n + " names, " + ops.length + " ops, "
          + clauseOrder.length + " slots, root " + rootValue);
    }
  }

  public int length() {
    return names.length;
  }

  /** Every variable's value in chain order: the labels, read in chain order. */
  public int[] values() {
    int[] v = new int[length()];
    v[0] = rootValue;
    for (int k = 1; k < v.length; k++) {
      v[k] = ops[k - 1] == LegoRules.NOT ? 1 - v[k - 1] : v[k - 1];
    }
    return v;
  }

  /** The chain variable written in each slot: {@link #clauseOrder} or 0, 1, …, n−1. */
  public int[] slots(LegoOrder order) {
    if (order == LegoOrder.SHUFFLED) {
      return clauseOrder.clone();
    }
    int[] sorted = new int[length()];
    for (int k = 0; k < sorted.length; k++) {
      sorted[k] = k;
    }
    return sorted;
  }

  /** {@code [CLS] x = op y , … [SEP]} with the clauses in the given order. */
  public int[] tokens(LegoOrder order) {
    return tokens(order, LegoRules.seqLen(length()));
  }

  /**
   * {@link #tokens(LegoOrder)} followed by {@link LegoRules#PAD} up to {@code seqLen}: how a
   * chain shorter than a dataset's longest is read. PAD is an ordinary token to the model (no key
   * mask), so training, evaluation and probes all see the same sequences.
   */
  public int[] tokens(LegoOrder order, int seqLen) {
    if (seqLen < LegoRules.seqLen(length())) {
      throw new IllegalArgumentException(
          "a chain of " + length() + " needs " + LegoRules.seqLen(length()) + " tokens, not " + seqLen);
    }
    int[] slots = slots(order);
    int[] t = new int[seqLen];
    java.util.Arrays.fill(t, LegoRules.PAD);
    t[0] = LegoRules.CLS;
    for (int slot = 0; slot < slots.length; slot++) {
      int k = slots[slot];
      int at = LegoRules.lhsPosition(slot);
      t[at] = names[k];
      t[at + 1] = LegoRules.EQUALS;
      t[at + 2] = k == 0 ? LegoRules.VAL : ops[k - 1];
      t[at + 3] = k == 0 ? (rootValue == 0 ? LegoRules.ZERO : LegoRules.ONE) : names[k - 1];
      t[at + 4] = LegoRules.COMMA;
    }
    t[LegoRules.seqLen(length()) - 1] = LegoRules.SEP;
    return t;
  }

  /** Where each chain variable is read (its clause's left-hand name), in chain order. */
  public int[] readPositions(LegoOrder order) {
    int[] slots = slots(order);
    int[] at = new int[length()];
    for (int slot = 0; slot < slots.length; slot++) {
      at[slots[slot]] = LegoRules.lhsPosition(slot);
    }
    return at;
  }
}
