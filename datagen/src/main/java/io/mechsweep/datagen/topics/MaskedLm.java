package io.mechsweep.datagen.topics;

import io.mechsweep.datagen.RowRandom;
import java.io.Serializable;

/**
 * BERT's masking rule as the topics paper's code applies it: each word position is chosen with
 * probability {@code rate}, drawn again until at least one is (START, END and PAD never are); a
 * chosen position shows MASK with probability 0.8, a token drawn uniformly from the whole
 * vocabulary with 0.1 (the source's {@code random.choice} over every token id) and its own token
 * with 0.1. The loss is taken at the chosen positions, and the model must not attend to them (they
 * are left out of the keys).
 *
 * <p>Masks are a pure function of (seed, split, document, epoch). {@link Policy#ONCE} (the source
 * code's way) draws them with epoch 0 for every epoch; {@link Policy#PER_EPOCH} draws new ones each
 * epoch.
 */
public record MaskedLm(long seed, double rate, Policy policy) implements Serializable {
  public static final double PAPER_RATE = 0.15;
  /** Mask streams per split: documents of different splits share row numbers. */
  public static final long TRAIN_STREAM = 1;
  public static final long DEV_STREAM = 2;
  static final double MASK_SHARE = 0.8;
  static final double RANDOM_SHARE = 0.1;

  /** When masks are drawn: once per dataset, or afresh each epoch. */
  public enum Policy {
    ONCE,
    PER_EPOCH
  }

  public MaskedLm {
    if (!(rate > 0) || rate > 1) {
      throw new IllegalArgumentException("mask rate must be in (0, 1], got " + rate);
    }
  }

  /** The rule in one line, as run configs record it: {@code masking rate=0.15 policy=once seed=7}. */
  public String describe() {
    return String.format(java.util.Locale.ROOT, "masking rate=%s policy=%s seed=%d", rate,
        policy.name().toLowerCase(java.util.Locale.ROOT), seed);
  }

  /**
   * One document's masked input.
   *
   * @param input the tokens the model sees
   * @param chosen whether each position is a prediction target (and hidden from the keys)
   */
  public record Masked(int[] input, boolean[] chosen) implements Serializable {
    public int count() {
      int n = 0;
      for (boolean c : chosen) {
        n += c ? 1 : 0;
      }
      return n;
    }
  }

  /**
   * Masks {@code tokens} (START, words, END, maybe PAD) of document {@code row} of a split; the
   * targets are the original tokens at the chosen positions.
   *
   * @param vocabularySize a random replacement is any token below it
   */
  public Masked mask(int[] tokens, long splitStream, long row, int epoch, int vocabularySize) {
    long stream = splitStream * 1_000_003L + (policy == Policy.ONCE ? 0 : epoch);
    RowRandom random = RowRandom.of(seed, stream, row);
    int[] input = tokens.clone();
    boolean[] chosen = new boolean[tokens.length];
    boolean anyWord = false;
    for (int t : tokens) {
      anyWord |= TopicsVocabulary.isWord(t);
    }
    int count = 0;
    while (anyWord && count == 0) {
      for (int i = 0; i < tokens.length; i++) {
        chosen[i] = TopicsVocabulary.isWord(tokens[i]) && random.nextDouble() < rate;
        count += chosen[i] ? 1 : 0;
      }
    }
    for (int i = 0; i < tokens.length; i++) {
      if (chosen[i]) {
        double u = random.nextDouble();
        if (u < MASK_SHARE) {
          input[i] = TopicsVocabulary.MASK;
        } else if (u < MASK_SHARE + RANDOM_SHARE) {
          input[i] = random.nextInt(vocabularySize);
        }
      }
    }
    return new Masked(input, chosen);
  }
}
