package io.mechsweep.datagen.anchor;

import io.mechsweep.datagen.RowRandom;
import java.io.Serializable;

/**
 * Pure function from (spec, row index) to an anchor sequence.
 *
 * <p>Rows are laid out pair by pair: pair p owns rows [p·n, (p+1)·n) with n = rows per pair;
 * the first {@code trainKeysPerPair} of them use training keys, the rest held-out keys. The
 * split a row lands in follows from its pair and key side alone.
 */
public final class AnchorGenerator implements Serializable {
  public static final String SPLIT_TRAIN = "train";
  public static final String SPLIT_HELD_OUT_KEYS = "heldout_keys";
  public static final String SPLIT_UNSEEN_PAIR = "unseen_pair";

  private final AnchorSpec spec;

  public AnchorGenerator(AnchorSpec spec) {
    this.spec = spec;
  }

  public AnchorSpec spec() {
    return spec;
  }

  public AnchorSequence row(long index) {
    if (index < 0 || index >= spec.totalRows()) {
      throw new IndexOutOfBoundsException("row " + index + " of " + spec.totalRows());
    }
    AnchorRules.Pair pair = AnchorRules.Pair.ofIndex((int) (index / spec.rowsPerPair()));
    boolean heldOut = index % spec.rowsPerPair() >= spec.trainKeysPerPair();
    RowRandom random = RowRandom.of(spec.seed(), 0, index);

    int position = random.nextInt(AnchorRules.KEY_POSITIONS);
    int key = drawKey(random, position, heldOut);
    int[] tokens = new int[AnchorRules.SEQ_LEN];
    for (int t = 0; t < tokens.length; t++) {
      tokens[t] = random.nextInt(AnchorRules.ITEM_MIN, AnchorRules.ITEM_MAX);
    }
    tokens[position] = key;
    tokens[position + 1] = pair.a1();
    tokens[position + 2] = pair.a2();

    boolean trained = spec.isTrained(pair);
    String split = !trained ? SPLIT_UNSEEN_PAIR : heldOut ? SPLIT_HELD_OUT_KEYS : SPLIT_TRAIN;
    int inferential = AnchorRules.inferentialTarget(pair, key);
    int target = trained ? AnchorRules.trainedTarget(pair, key) : inferential;
    return new AnchorSequence(
        index, pair, key, position, heldOut, tokens, target, inferential,
        AnchorRules.symmetricTarget(pair, key), split);
  }

  /** Rejection-samples a key on the requested side of the key split. */
  private int drawKey(RowRandom random, int position, boolean heldOut) {
    while (true) {
      int key = random.nextInt(AnchorRules.ITEM_MIN, AnchorRules.ITEM_MAX);
      if (AnchorRules.isHeldOutKey(key, position, spec.keyModulus()) == heldOut) {
        return key;
      }
    }
  }
}
