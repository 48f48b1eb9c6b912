package io.mechsweep.training.model;

import java.io.Serializable;
import java.util.Set;

/**
 * Shapes and wiring of a transformer. Runs with equal ModelConfigs can share a pack.
 *
 * @param dK width per head of queries, keys and values (d_k = d_v)
 * @param causal decoder (true) or bidirectional encoder (false)
 * @param layersWithoutMlp blocks whose MLP is removed (varassign removes layer 0's)
 * @param outputBias whether the unembedding has a bias
 */
public record ModelConfig(
    int vocabSize,
    int seqLen,
    int dModel,
    int dFf,
    int dK,
    int heads,
    int depth,
    NormPlacement norm,
    boolean causal,
    Set<Integer> layersWithoutMlp,
    boolean outputBias)
    implements Serializable {

  public ModelConfig {
    layersWithoutMlp = Set.copyOf(layersWithoutMlp);
    if (vocabSize < 2 || seqLen < 1 || dModel < 1 || dFf < 1 || dK < 1 || heads < 1 || depth < 1) {
      throw new IllegalArgumentException("all model sizes must be positive: " + this);
    }
  }

  /** The anchor study's model: causal, single head, post-LN, untied output with bias. */
  public static ModelConfig anchor(int vocab, int seqLen, int dModel, int dFf, int dK, int depth) {
    return new ModelConfig(
        vocab, seqLen, dModel, dFf, dK, 1, depth, NormPlacement.POST, true, Set.of(), true);
  }

  public boolean hasMlp(int layer) {
    return !layersWithoutMlp.contains(layer);
  }

  public int attnWidth() {
    return heads * dK;
  }
}
