package io.mechsweep.training.model;

/** Where LayerNorm sits in a block. */
public enum NormPlacement {
  /** h = LN(h + sublayer(h)) — the anchor study's GPT. */
  POST,
  /** h = h + sublayer(LN(h)), with a final LN before the unembedding. */
  PRE,
  /** No LayerNorm at all (varassign). */
  NONE
}
