package io.mechsweep.training.model;

/**
 * The address of every parameter and recorded activation, TransformerLens-style: probes name
 * what they read ({@code blocks.1.attn.pattern}) through these functions instead of piecing
 * strings together, and {@link #layerOf} is the one place that reads a layer back.
 */
public final class Names {
  public static final String TOKEN_EMBEDDING = "embed.tok";
  public static final String POSITION_EMBEDDING = "embed.pos";
  public static final String UNEMBED = "unembed.w";
  public static final String UNEMBED_BIAS = "unembed.b";
  public static final String FINAL_NORM = "ln_final";
  private static final String BLOCKS = "blocks.";

  private Names() {}

  public static String block(int layer) {
    return BLOCKS + layer + ".";
  }

  public static String attnQ(int layer) {
    return block(layer) + "attn.q";
  }

  public static String attnK(int layer) {
    return block(layer) + "attn.k";
  }

  public static String attnV(int layer) {
    return block(layer) + "attn.v";
  }

  public static String attnO(int layer) {
    return block(layer) + "attn.o";
  }

  public static String mlpIn(int layer) {
    return block(layer) + "mlp.w1";
  }

  public static String mlpOut(int layer) {
    return block(layer) + "mlp.w2";
  }

  /** LayerNorm before/after attention; its gain and bias are {@code <name>.g} and {@code <name>.b}. */
  public static String attnNorm(int layer) {
    return block(layer) + "ln_attn";
  }

  public static String mlpNorm(int layer) {
    return block(layer) + "ln_mlp";
  }

  /** Attention probabilities {@code (K,B,H,Tq,T)}. */
  public static String attnPattern(int layer) {
    return block(layer) + "attn.pattern";
  }

  /** Attention output after W_O, before the residual, {@code (K,B,Tq,d)}. */
  public static String attnOut(int layer) {
    return block(layer) + "attn.out";
  }

  /** The residual stream after attention (the MLP's input when there is no LayerNorm), {@code (K,B,Tq,d)}. */
  public static String residMid(int layer) {
    return block(layer) + "resid_mid";
  }

  /** The residual stream after the whole block, {@code (K,B,Tq,d)}. */
  public static String residPost(int layer) {
    return block(layer) + "resid_post";
  }

  /** The block index of a name under {@code blocks.}, or null for embeddings and the head. */
  public static Integer layerOf(String name) {
    if (!name.startsWith(BLOCKS)) {
      return null;
    }
    int end = name.indexOf('.', BLOCKS.length());
    return Integer.parseInt(name.substring(BLOCKS.length(), end));
  }
}
