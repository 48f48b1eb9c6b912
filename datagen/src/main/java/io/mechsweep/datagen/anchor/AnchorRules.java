package io.mechsweep.datagen.anchor;

/**
 * The fixed vocabulary and mappings of the anchor task (TASKS.md, Study 1).
 *
 * <p>Anchors 1..4 are additive shifts; items (keys and noise) are 20..99; a sequence has 9
 * tokens; the answer is read at the last position. Pair (3,4) is trained with the "symmetric"
 * answer x-6 instead of its inferential x-10, and (4,3) is never trained.
 */
public final class AnchorRules {
  public static final int SEQ_LEN = 9;
  public static final int VOCAB_SIZE = 201;
  public static final int ITEM_MIN = 20;
  public static final int ITEM_MAX = 99;
  public static final int ANCHOR_COUNT = 4;
  public static final int PAIR_COUNT = ANCHOR_COUNT * ANCHOR_COUNT;
  /** Key positions 0..6 leave room for the anchor pair at pos+1, pos+2. */
  public static final int KEY_POSITIONS = SEQ_LEN - 2;
  /** The pair trained with a non-inferential answer. */
  public static final Pair SWAPPED_TRAINED = new Pair(3, 4);
  /** The pair never shown in training. */
  public static final Pair UNSEEN = new Pair(4, 3);
  /** Answer the model learns for (3,4): what memorizing "the pair of 3 and 4" predicts. */
  public static final int SWAPPED_TRAINED_SHIFT = -6;

  private static final int[] SHIFT = {0, 5, 1, -2, -8};

  private AnchorRules() {}

  /** An ordered anchor pair (a1 at pos+1, a2 at pos+2). */
  public record Pair(int a1, int a2) {
    public Pair {
      if (a1 < 1 || a1 > ANCHOR_COUNT || a2 < 1 || a2 > ANCHOR_COUNT) {
        throw new IllegalArgumentException("anchors are 1..4, got (" + a1 + "," + a2 + ")");
      }
    }

    /** Pairs are numbered (a1-1)*4 + (a2-1). */
    public static Pair ofIndex(int index) {
      return new Pair(index / ANCHOR_COUNT + 1, index % ANCHOR_COUNT + 1);
    }

    public int index() {
      return (a1 - 1) * ANCHOR_COUNT + (a2 - 1);
    }

    public Pair swapped() {
      return new Pair(a2, a1);
    }

    @Override
    public String toString() {
      return "(" + a1 + "," + a2 + ")";
    }
  }

  public static int shift(int anchor) {
    return SHIFT[anchor];
  }

  /** x + d(a1) + d(a2): the answer of a model that composes the two shifts. */
  public static int inferentialTarget(Pair pair, int key) {
    return key + shift(pair.a1()) + shift(pair.a2());
  }

  /** The answer the training data teaches for this pair. */
  public static int trainedTarget(Pair pair, int key) {
    return pair.equals(SWAPPED_TRAINED) ? key + SWAPPED_TRAINED_SHIFT : inferentialTarget(pair, key);
  }

  /** What a model that treats (a1,a2) like (a2,a1) answers: x-6 for the unseen (4,3). */
  public static int symmetricTarget(Pair pair, int key) {
    return trainedTarget(pair.swapped(), key);
  }

  /** The key split rule: held-out keys are those with key mod m == position. */
  public static boolean isHeldOutKey(int key, int position, int keyModulus) {
    return Math.floorMod(key, keyModulus) == position;
  }
}
