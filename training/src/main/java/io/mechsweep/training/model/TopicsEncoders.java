package io.mechsweep.training.model;

import java.util.Map;
import java.util.Set;

/**
 * The topics paper's simplified encoders (research/TASKS.md, Study 4; the public code's
 * BertForMaskedLMCustom): one layer, one head, width = vocabulary, no norm, no MLP, no residual,
 * no position information, W_O and the decoder frozen to the identity (the source has no
 * attention output projection, and its decoder is frozen to I).
 */
public final class TopicsEncoders {
  private TopicsEncoders() {}

  /**
   * The source's demo: one-hot frozen embeddings and W_K = W_Q = 0 frozen, so attention is
   * uniform over the visible keys; only W_V trains.
   */
  public static ModelConfig uniformAttention(int vocabulary, int seqLen) {
    Set<String> frozen = Set.of(Names.TOKEN_EMBEDDING, Names.POSITION_EMBEDDING, Names.attnQ(0), Names.attnK(0),
        Names.attnO(0), Names.UNEMBED);
    Map<String, FixedInit> fixed = Map.of(Names.TOKEN_EMBEDDING, new FixedInit.Identity(),
        Names.POSITION_EMBEDDING, new FixedInit.Zeros(), Names.attnQ(0), new FixedInit.Zeros(),
        Names.attnK(0), new FixedInit.Zeros(), Names.attnO(0), new FixedInit.Identity(),
        Names.UNEMBED, new FixedInit.Identity());
    return new ModelConfig(vocabulary, vocabulary, seqLen, vocabulary, vocabulary, vocabulary, 1, 1,
        NormPlacement.NONE, false, Set.of(0), false, frozen, false, false, fixed);
  }
}
