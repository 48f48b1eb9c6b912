package io.mechsweep.datagen.varassign;

/**
 * The varassign vocabulary and sequence layout (research/TASKS.md, Study 2).
 *
 * <pre>
 *   tokens   0..58 numbers, 59 '+', 60 '=', 61 PAD, 62..73 variables a..l   (vocabulary 74)
 *   layout   positions 0..11  prefix: 1..6 shuffled [variable value] pairs, PADs in the gaps
 *            positions 12..15 + LHS RHS =        label (n1 + n2) mod 59, read at '=' (15)
 * </pre>
 *
 * The model predicts one of 59 classes and the class index is the number itself.
 */
public final class VarAssignRules {
  public static final int P = 59;
  public static final int PLUS = 59;
  public static final int EQUALS = 60;
  public static final int PAD = 61;
  public static final int FIRST_VARIABLE = 62;
  public static final int VARIABLES = 12;
  public static final int VOCAB_SIZE = 74;
  public static final int CLASSES = 59;
  public static final int SEQ_LEN = 16;
  public static final int PREFIX_LEN = 12;

  /** Positions of the query {@code + LHS RHS =}. */
  public static final int PLUS_POS = 12;
  public static final int LHS_POS = 13;
  public static final int RHS_POS = 14;
  public static final int EQUALS_POS = 15;

  /** At most 6 assignments fit the 12-token prefix (2 tokens each). */
  public static final int MAX_ASSIGNMENTS = PREFIX_LEN / 2;

  /** Ordered number pairs (n1, n2): 59 × 59. */
  public static final int NUMBER_PAIRS = P * P;

  /** Example types: 0 = {@code + n1 n2 =}, 1 = variable left, 2 = variable right, 3 = both. */
  public static final int TYPE_NUMBERS = 0;
  public static final int TYPE_VAR_LEFT = 1;
  public static final int TYPE_VAR_RIGHT = 2;
  public static final int TYPE_TWO_VARS = 3;
  public static final int TYPES = 4;

  private VarAssignRules() {}

  /** Variable index 0..11 (a..l) to its token 62..73. */
  public static int variableToken(int v) {
    if (v < 0 || v >= VARIABLES) {
      throw new IllegalArgumentException("variable index must be in 0..11, got " + v);
    }
    return FIRST_VARIABLE + v;
  }

  /** Token 62..73 back to its variable index 0..11. */
  public static int variableIndex(int token) {
    if (!isVariable(token)) {
      throw new IllegalArgumentException("token " + token + " is not a variable (62..73)");
    }
    return token - FIRST_VARIABLE;
  }

  /** "a".."l" for a variable token. */
  public static String variableName(int token) {
    return String.valueOf((char) ('a' + variableIndex(token)));
  }

  public static boolean isVariable(int token) {
    return token >= FIRST_VARIABLE && token < FIRST_VARIABLE + VARIABLES;
  }

  public static boolean isNumber(int token) {
    return token >= 0 && token < P;
  }

  /** The label of a query whose operands resolve to n1 and n2. */
  public static int label(int n1, int n2) {
    return Math.floorMod(n1 + n2, P);
  }

  /** Index of the ordered pair (n1, n2) in 0..3480, n1-major. */
  public static int pairCode(int n1, int n2) {
    if (!isNumber(n1) || !isNumber(n2)) {
      throw new IllegalArgumentException("numbers must be in 0..58, got (" + n1 + ", " + n2 + ")");
    }
    return n1 * P + n2;
  }

  /** A token as text: numbers, '+', '=', '_' for PAD, a..l. */
  public static String tokenName(int token) {
    if (isNumber(token)) {
      return Integer.toString(token);
    }
    return switch (token) {
      case PLUS -> "+";
      case EQUALS -> "=";
      case PAD -> "_";
      default -> isVariable(token) ? variableName(token) : "?" + token;
    };
  }

  /** A sequence as space-separated token names, e.g. {@code "_ c 5 _ a 7 ... + a 3 ="}. */
  public static String render(int[] tokens) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(tokenName(tokens[i]));
    }
    return out.toString();
  }
}
