package io.mechsweep.analysis.probes.anchor;

import io.mechsweep.datagen.anchor.AnchorSequence;
import java.io.Serializable;
import java.util.List;

/**
 * Sequences the anchor mechanism probes run on, with each sequence's roles: where the key sits
 * (the anchors follow at +1 and +2, the answer is read at the last position) and its answers.
 * Flat arrays, so it broadcasts cheaply.
 */
public record AnchorProbeSet(
    String name, int seqLen, int[] tokens, int[] keyPosition, int[] inferentialTarget, int[] symmetricTarget)
    implements Serializable {

  public static AnchorProbeSet of(String name, List<AnchorSequence> sequences) {
    int n = sequences.size();
    int t = sequences.get(0).tokens().length;
    int[] tokens = new int[n * t];
    int[] keyPos = new int[n];
    int[] inferential = new int[n];
    int[] symmetric = new int[n];
    for (int i = 0; i < n; i++) {
      AnchorSequence s = sequences.get(i);
      System.arraycopy(s.tokens(), 0, tokens, i * t, t);
      keyPos[i] = s.keyPosition();
      inferential[i] = s.inferentialTarget();
      symmetric[i] = s.symmetricTarget();
    }
    return new AnchorProbeSet(name, t, tokens, keyPos, inferential, symmetric);
  }

  public int size() {
    return keyPosition.length;
  }

  public long[] tokensAsLongs() {
    long[] out = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = tokens[i];
    }
    return out;
  }
}
