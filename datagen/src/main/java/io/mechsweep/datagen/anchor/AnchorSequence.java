package io.mechsweep.datagen.anchor;

/**
 * One generated anchor sequence.
 *
 * @param row global row index, the only input besides the spec
 * @param keyPosition where the key sits; the anchors follow at +1 and +2
 * @param heldOutKey whether (key, position) falls on the held-out side of the key split
 * @param target the trained answer (for unseen pairs: the inferential answer)
 */
public record AnchorSequence(
    long row,
    AnchorRules.Pair pair,
    int key,
    int keyPosition,
    boolean heldOutKey,
    int[] tokens,
    int target,
    int inferentialTarget,
    int symmetricTarget,
    String split) {}
