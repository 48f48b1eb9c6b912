package io.mechsweep.training.topics;

import io.mechsweep.training.model.FixedInit;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.NormPlacement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The topics paper's simplified encoders (research/TASKS.md, Study 4; the public code's
 * BertForMaskedLMCustom): one layer, one head, width = vocabulary, no norm, no MLP, no residual,
 * no position information, W_O and the decoder frozen to the identity (the source has no
 * attention output projection, and its decoder is frozen to I). The settings differ in which of
 * the embedding, W_K, W_Q and W_V train and how they start.
 */
public final class TopicsEncoders {
  private TopicsEncoders() {}

  /** The settings the paper trains; each a value of the study's {@code task.settings}. */
  public enum Setting {
    /** The source's demo: one-hot frozen embeddings, W_K = W_Q = 0 frozen (uniform attention), W_V trains. */
    UNIFORM_ATTENTION,
    /** The demo with trained embeddings: attention stays uniform, embeddings and W_V train. */
    TRAINED_EMBEDDINGS,
    /** One-hot frozen embeddings; W_K, W_Q and W_V start near 0 and train (the two-stage dynamics). */
    NEAR_ZERO_ATTENTION,
    /** One-hot frozen embeddings, W_V frozen to the topic block matrix; W_K and W_Q train. */
    BLOCK_VALUE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The encoder of one setting.
   *
   * @param block the topic block matrix of {@link Setting#BLOCK_VALUE} (the corpus's specials and words per topic)
   * @param nearZero the start of {@link Setting#NEAR_ZERO_ATTENTION}'s attention matrices
   */
  public static ModelConfig of(Setting setting, int vocabulary, int seqLen, FixedInit.TopicBlock block,
      FixedInit.NearZero nearZero) {
    String q = Names.attnQ(0);
    String k = Names.attnK(0);
    String v = Names.attnV(0);
    Set<String> frozen = new HashSet<>(Set.of(Names.POSITION_EMBEDDING, Names.attnO(0), Names.UNEMBED));
    Map<String, FixedInit> fixed = new HashMap<>(Map.of(Names.POSITION_EMBEDDING, new FixedInit.Zeros(),
        Names.attnO(0), new FixedInit.Identity(), Names.UNEMBED, new FixedInit.Identity()));
    if (setting != Setting.TRAINED_EMBEDDINGS) {
      frozen.add(Names.TOKEN_EMBEDDING);
      fixed.put(Names.TOKEN_EMBEDDING, new FixedInit.Identity());
    }
    switch (setting) {
      case UNIFORM_ATTENTION, TRAINED_EMBEDDINGS -> {
        frozen.addAll(Set.of(q, k));
        fixed.putAll(Map.of(q, new FixedInit.Zeros(), k, new FixedInit.Zeros()));
      }
      case NEAR_ZERO_ATTENTION -> fixed.putAll(Map.of(q, nearZero, k, nearZero, v, nearZero));
      case BLOCK_VALUE -> {
        frozen.add(v);
        fixed.put(v, block);
      }
    }
    return new ModelConfig(vocabulary, vocabulary, seqLen, vocabulary, vocabulary, vocabulary, 1, 1,
        NormPlacement.NONE, false, Set.of(0), false, frozen, false, false, fixed, java.util.Map.of());
  }

  /** The source's demo ({@link Setting#UNIFORM_ATTENTION}). */
  public static ModelConfig uniformAttention(int vocabulary, int seqLen) {
    return of(Setting.UNIFORM_ATTENTION, vocabulary, seqLen, null, null);
  }
}
