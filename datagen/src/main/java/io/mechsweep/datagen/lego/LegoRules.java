package io.mechsweep.datagen.lego;

/**
 * The LEGO task's vocabulary and sequence layout (Zhang et al., arXiv 2206.04301): group Z2,
 * operations {@code val} (keep) and {@code not} (flip), clauses of five tokens
 * {@code x = op y ,}, a sequence {@code [CLS] clause₁ … clauseₙ [SEP]}.
 */
public final class LegoRules {
  /** Tokens 0..25 are the letters a..z (variable names). */
  public static final int LETTERS = 26;
  public static final int EQUALS = 26;
  public static final int COMMA = 27;
  public static final int VAL = 28;
  public static final int NOT = 29;
  public static final int ZERO = 30;
  public static final int ONE = 31;
  public static final int CLS = 32;
  public static final int SEP = 33;
  public static final int PAD = 34;
  public static final int MASK = 35;
  public static final int VOCAB_SIZE = 36;
  /** The head predicts a variable's value, 0 or 1. */
  public static final int CLASSES = 2;
  public static final int CLAUSE_TOKENS = 5;
  /** Variable names are distinct letters, so a chain has at most 26 variables. */
  public static final int MAX_CHAIN_LENGTH = LETTERS;

  private LegoRules() {}

  /** {@code [CLS] + 5n + [SEP]}: 62 tokens for the paper's n = 12. */
  public static int seqLen(int chainLength) {
    return 1 + CLAUSE_TOKENS * chainLength + 1;
  }

  /** Position of the left-hand variable of the clause in slot {@code slot} (0-based): 1, 6, 11, … */
  public static int lhsPosition(int slot) {
    return 1 + CLAUSE_TOKENS * slot;
  }
}
