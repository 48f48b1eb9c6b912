package io.mechsweep.datagen.varassign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

/**
 * Invariants every varassign sequence must satisfy, checked from its tokens alone (written out
 * here again rather than reusing the generator's code, so a generator bug cannot hide itself).
 */
final class VarAssignChecks {
  // Hard-coded from TASKS.md on purpose: a, b never right; k, l never left (in training).
  static final Set<Integer> NEVER_RIGHT = Set.of(0, 1);
  static final Set<Integer> NEVER_LEFT = Set.of(10, 11);

  private VarAssignChecks() {}

  /** What the tokens say, resolved independently of the example's own fields. */
  record Resolved(
      int assignments, int n1, int n2, int leftVar, int rightVar, int type, int[] valuePosOfVar) {}

  /** Checks the layout and that the example's fields agree with its tokens; returns them. */
  static Resolved checkLayout(VarAssignExample e) {
    int[] t = e.tokens();
    assertThat(t).as("length of %s", e).hasSize(16);
    int[] valueOfVar = new int[12];
    int[] valuePosOfVar = new int[12];
    java.util.Arrays.fill(valueOfVar, -1);
    java.util.Arrays.fill(valuePosOfVar, -1);
    int assignments = 0;
    int i = 0;
    while (i < 12) {
      if (t[i] == 61) {
        i++;
        continue;
      }
      assertThat(t[i]).as("prefix token %d of %s is a variable or PAD", i, e).isBetween(62, 73);
      assertThat(i + 1).as("assignment at %d of %s fits the prefix", i, e).isLessThan(12);
      assertThat(t[i + 1]).as("value after the variable at %d of %s", i, e).isBetween(0, 58);
      int v = t[i] - 62;
      assertThat(valueOfVar[v]).as("variable %d assigned twice in %s", v, e).isEqualTo(-1);
      valueOfVar[v] = t[i + 1];
      valuePosOfVar[v] = i + 1;
      assignments++;
      i += 2;
    }
    assertThat(assignments).as("assignments in %s", e).isBetween(1, 6);
    assertThat(t[12]).as("'+' of %s", e).isEqualTo(59);
    assertThat(t[15]).as("'=' of %s", e).isEqualTo(60);

    int leftVar = -1;
    int rightVar = -1;
    int n1;
    int n2;
    if (t[13] >= 62 && t[13] <= 73) {
      leftVar = t[13] - 62;
      assertThat(valueOfVar[leftVar]).as("left operand assigned in %s", e).isNotEqualTo(-1);
      n1 = valueOfVar[leftVar];
    } else {
      assertThat(t[13]).as("left operand of %s", e).isBetween(0, 58);
      n1 = t[13];
    }
    if (t[14] >= 62 && t[14] <= 73) {
      rightVar = t[14] - 62;
      assertThat(valueOfVar[rightVar]).as("right operand assigned in %s", e).isNotEqualTo(-1);
      n2 = valueOfVar[rightVar];
    } else {
      assertThat(t[14]).as("right operand of %s", e).isBetween(0, 58);
      n2 = t[14];
    }
    int type = (leftVar >= 0 ? 1 : 0) + (rightVar >= 0 ? 2 : 0);
    assertThat(e.type()).as("type of %s", e).isEqualTo(type);
    assertThat(e.n1()).as("n1 of %s", e).isEqualTo(n1);
    assertThat(e.n2()).as("n2 of %s", e).isEqualTo(n2);
    assertThat(e.label()).as("label of %s", e).isEqualTo((n1 + n2) % 59);
    assertThat(e.leftVar()).as("leftVar of %s", e).isEqualTo(leftVar);
    assertThat(e.rightVar()).as("rightVar of %s", e).isEqualTo(rightVar);
    assertThat(e.leftValuePos()).as("leftValuePos of %s", e)
        .isEqualTo(leftVar >= 0 ? valuePosOfVar[leftVar] : -1);
    assertThat(e.rightValuePos()).as("rightValuePos of %s", e)
        .isEqualTo(rightVar >= 0 ? valuePosOfVar[rightVar] : -1);
    if (e.leftValuePos() >= 0) {
      assertThat(t[e.leftValuePos() - 1]).isEqualTo(62 + leftVar);
      assertThat(t[e.leftValuePos()]).isEqualTo(n1);
    }
    if (e.rightValuePos() >= 0) {
      assertThat(t[e.rightValuePos() - 1]).isEqualTo(62 + rightVar);
      assertThat(t[e.rightValuePos()]).isEqualTo(n2);
    }
    return new Resolved(assignments, n1, n2, leftVar, rightVar, type, valuePosOfVar);
  }

  /** Whether training could ever produce this query (number pair and operand slots). */
  static boolean trainable(VarAssignPartition partition, Resolved r) {
    return partition.isTrainPair(r.n1(), r.n2())
        && !NEVER_LEFT.contains(r.leftVar())
        && !NEVER_RIGHT.contains(r.rightVar());
  }

  static Set<Integer> distinctPairCodes(Iterable<VarAssignExample> rows) {
    Set<Integer> out = new HashSet<>();
    for (VarAssignExample e : rows) {
      out.add(e.n1() * 59 + e.n2());
    }
    return out;
  }
}
