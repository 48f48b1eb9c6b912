package io.mechsweep.datagen.varassign;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One varassign sequence with what it resolves to.
 *
 * @param row the dataset row for a pool example (pools are laid out one after another in
 *     {@link VarAssignPool} order), the index in its stream for a training example
 * @param type 0 = {@code + n1 n2 =}, 1 = variable left, 2 = variable right, 3 = both variables
 * @param tokens the 16 tokens
 * @param label {@code (n1 + n2) mod 59}, read at '=' (position 15)
 * @param n1 the left operand's number (after resolving its variable)
 * @param n2 the right operand's number (after resolving its variable)
 * @param leftVar variable index 0..11 of the left operand, or -1 when it is a number
 * @param rightVar variable index 0..11 of the right operand, or -1 when it is a number
 * @param leftValuePos prefix position (0..11) of the left operand's value token, or -1; its
 *     variable token sits at {@code leftValuePos - 1}
 * @param rightValuePos prefix position of the right operand's value token, or -1
 * @param pool the pool label, or {@code "train"} for a training example
 */
public record VarAssignExample(
    long row,
    int type,
    int[] tokens,
    int label,
    int n1,
    int n2,
    int leftVar,
    int rightVar,
    int leftValuePos,
    int rightValuePos,
    String pool)
    implements Serializable {

  public VarAssignExample {
    if (tokens.length != VarAssignRules.SEQ_LEN) {
      throw new IllegalArgumentException(
          "a varassign sequence has 16 tokens, got " + tokens.length);
    }
  }

  /** Number of assignments in the prefix (1..6). */
  public int assignments() {
    int n = 0;
    for (int i = 0; i < VarAssignRules.PREFIX_LEN; i++) {
      if (VarAssignRules.isVariable(tokens[i])) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VarAssignExample e
        && row == e.row
        && type == e.type
        && label == e.label
        && n1 == e.n1
        && n2 == e.n2
        && leftVar == e.leftVar
        && rightVar == e.rightVar
        && leftValuePos == e.leftValuePos
        && rightValuePos == e.rightValuePos
        && Objects.equals(pool, e.pool)
        && Arrays.equals(tokens, e.tokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(row, type, label, n1, n2, leftVar, rightVar, pool) * 31
        + Arrays.hashCode(tokens);
  }

  @Override
  public String toString() {
    return "VarAssignExample[row=" + row + ", pool=" + pool + ", type=" + type + ", "
        + VarAssignRules.render(tokens) + " → " + label + " (" + n1 + "+" + n2 + ")]";
  }
}
