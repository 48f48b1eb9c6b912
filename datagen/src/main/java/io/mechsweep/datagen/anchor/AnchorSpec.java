package io.mechsweep.datagen.anchor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that determines an anchor dataset. Equal specs give byte-identical rows.
 *
 * @param seed the dataset seed; row i is a pure function of (seed, i)
 * @param trainKeysPerPair training-key sequences per ordered pair (paper: 50,625)
 * @param heldOutKeysPerPair held-out-key sequences per ordered pair (paper: 5,625)
 * @param keyModulus the key split rule's modulus (public code: 9; paper text: n-2)
 * @param holdOutSwappedPair the variant where (3,4) is held out too, not only (4,3)
 */
public record AnchorSpec(
    long seed,
    int trainKeysPerPair,
    int heldOutKeysPerPair,
    int keyModulus,
    boolean holdOutSwappedPair)
    implements Serializable {

  public static final int PAPER_TRAIN_KEYS_PER_PAIR = 50_625;
  public static final int PAPER_HELD_OUT_KEYS_PER_PAIR = 5_625;
  public static final int PUBLIC_CODE_KEY_MODULUS = 9;

  public AnchorSpec {
    if (trainKeysPerPair < 1 || heldOutKeysPerPair < 1) {
      throw new IllegalArgumentException("rows per pair must be ≥ 1");
    }
    // Every key position 0..6 needs held-out keys, and 20..99 must hold a key per residue.
    if (keyModulus < AnchorRules.KEY_POSITIONS
        || keyModulus > AnchorRules.ITEM_MAX - AnchorRules.ITEM_MIN + 1) {
      throw new IllegalArgumentException("key modulus must be in 7..80, got " + keyModulus);
    }
  }

  public static AnchorSpec paper(long seed) {
    return new AnchorSpec(
        seed, PAPER_TRAIN_KEYS_PER_PAIR, PAPER_HELD_OUT_KEYS_PER_PAIR, PUBLIC_CODE_KEY_MODULUS, false);
  }

  public int rowsPerPair() {
    return trainKeysPerPair + heldOutKeysPerPair;
  }

  public long totalRows() {
    return (long) rowsPerPair() * AnchorRules.PAIR_COUNT;
  }

  /** Pairs that never appear in training. */
  public List<AnchorRules.Pair> unseenPairs() {
    List<AnchorRules.Pair> unseen = new ArrayList<>();
    if (holdOutSwappedPair) {
      unseen.add(AnchorRules.SWAPPED_TRAINED);
    }
    unseen.add(AnchorRules.UNSEEN);
    return unseen;
  }

  public boolean isTrained(AnchorRules.Pair pair) {
    return !unseenPairs().contains(pair);
  }
}
