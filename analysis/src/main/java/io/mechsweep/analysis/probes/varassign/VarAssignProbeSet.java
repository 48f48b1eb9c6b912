package io.mechsweep.analysis.probes.varassign;

import io.mechsweep.datagen.varassign.VarAssignExample;
import io.mechsweep.datagen.varassign.VarAssignRules;
import java.io.Serializable;
import java.util.List;

/**
 * The sequences of one varassign pool that the mechanism probes run on, with what each resolves
 * to. Flat arrays, so it broadcasts cheaply.
 *
 * @param tokens {@code size() × seqLen} token ids, sequence-major
 * @param label {@code (n1 + n2) mod 59}
 * @param n1 the left operand's number after resolving its variable
 * @param n2 the right operand's number after resolving its variable
 * @param leftValuePos prefix position of the left operand's value token, −1 for a number operand
 * @param rightValuePos likewise for the right operand
 */
public record VarAssignProbeSet(
    String name,
    int seqLen,
    int[] tokens,
    int[] label,
    int[] n1,
    int[] n2,
    int[] leftValuePos,
    int[] rightValuePos)
    implements Serializable {

  public VarAssignProbeSet {
    int n = label.length;
    if (tokens.length != n * seqLen || n1.length != n || n2.length != n || leftValuePos.length != n
        || rightValuePos.length != n) {
      throw new IllegalArgumentException("probe set " + name + ": arrays disagree on " + n + " sequences");
    }
  }

  public static VarAssignProbeSet of(String name, List<VarAssignExample> examples) {
    int n = examples.size();
    int t = VarAssignRules.SEQ_LEN;
    int[] tokens = new int[n * t];
    int[] label = new int[n];
    int[] n1 = new int[n];
    int[] n2 = new int[n];
    int[] left = new int[n];
    int[] right = new int[n];
    for (int i = 0; i < n; i++) {
      VarAssignExample e = examples.get(i);
      System.arraycopy(e.tokens(), 0, tokens, i * t, t);
      label[i] = e.label();
      n1[i] = e.n1();
      n2[i] = e.n2();
      left[i] = e.leftValuePos();
      right[i] = e.rightValuePos();
    }
    return new VarAssignProbeSet(name, t, tokens, label, n1, n2, left, right);
  }

  public int size() {
    return label.length;
  }

  public int token(int sequence, int position) {
    return tokens[sequence * seqLen + position];
  }

  /** Whether at least one operand of sequence {@code s} is a variable (types 1, 2, 3). */
  public boolean viaVariable(int s) {
    return leftValuePos[s] >= 0 || rightValuePos[s] >= 0;
  }

  /**
   * Where layer-1 attention from '=' should read each operand's number: the value token of a
   * variable operand's assignment, the operand's own position for a number operand.
   */
  public int[] valuePositions(int s) {
    return new int[] {
      leftValuePos[s] >= 0 ? leftValuePos[s] : VarAssignRules.LHS_POS,
      rightValuePos[s] >= 0 ? rightValuePos[s] : VarAssignRules.RHS_POS
    };
  }

  /**
   * The direct twin of sequence {@code s}: the same tokens with the resolved numbers n1, n2
   * written into the operand positions (a type-0 sequence with the same prefix and label).
   */
  public int[] directTwin(int s) {
    int[] twin = new int[seqLen];
    System.arraycopy(tokens, s * seqLen, twin, 0, seqLen);
    twin[VarAssignRules.LHS_POS] = n1[s];
    twin[VarAssignRules.RHS_POS] = n2[s];
    return twin;
  }
}
