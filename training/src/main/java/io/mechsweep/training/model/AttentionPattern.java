package io.mechsweep.training.model;

/**
 * A hard-coded attention pattern for a head of the LEGO attention module (Zhang et al., the two
 * maps of {@code training/mimic/AttentionTargets}): the head mixes learned values by this pattern
 * and has no queries or keys.
 */
public enum AttentionPattern {
  /** Query i attends uniformly to the other positions holding its token; none when it occurs once. */
  ASSOCIATION,
  /** Query i attends to keys i−2..i+2 with weights 1, 2, 4, 2, 1, renormalized at the edges. */
  LOCAL
}
