package io.mechsweep.training.model;

import java.io.Serializable;
import java.util.Set;

/**
 * Shapes and wiring of a transformer. Runs with equal ModelConfigs can share a pack.
 *
 * <p>Every variant a study needs is a field here, so a config chooses it and the PyTorch parity
 * test covers it: LayerNorm placement, causal or bidirectional attention, MLPs removed per layer,
 * the output bias, frozen parameters. Attention and MLP have no biases at all (every study fixes
 * them at zero).
 *
 * @param classes width of the output head (anchor: the vocabulary; varassign: the 59 residues)
 * @param dK width per head of queries, keys and values (d_k = d_v)
 * @param causal decoder (true) or bidirectional encoder (false)
 * @param layersWithoutMlp blocks whose MLP is removed (varassign removes layer 0's)
 * @param outputBias whether the unembedding has a bias
 * @param frozen parameter names ({@link Names}) that keep their initial values
 * @param tiedLayers ALBERT-style weight tying: one block's parameters ({@code blocks.0.…}) used
 *     by every layer
 * @param residual whether attention and MLP outputs add to the residual stream (true) or replace
 *     it (false: the topics paper's simplified encoder)
 * @param fixedInit parameters that start from set values ({@link FixedInit}) rather than a draw
 */
public record ModelConfig(
    int vocabSize,
    int classes,
    int seqLen,
    int dModel,
    int dFf,
    int dK,
    int heads,
    int depth,
    NormPlacement norm,
    boolean causal,
    Set<Integer> layersWithoutMlp,
    boolean outputBias,
    Set<String> frozen,
    boolean tiedLayers,
    boolean residual,
    java.util.Map<String, FixedInit> fixedInit)
    implements Serializable {

  public ModelConfig {
    layersWithoutMlp = Set.copyOf(layersWithoutMlp);
    frozen = Set.copyOf(frozen);
    fixedInit = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(fixedInit));
    if (vocabSize < 2 || classes < 2 || seqLen < 1 || dModel < 1 || dFf < 1 || dK < 1 || heads < 1
        || depth < 1) {
      throw new IllegalArgumentException("all model sizes must be positive: " + this);
    }
    if (tiedLayers && !layersWithoutMlp.isEmpty()) {
      throw new IllegalArgumentException("tied layers share one block, so no layer can drop its MLP alone");
    }
  }

  /** A residual model whose parameters are all drawn (every study before topics). */
  public ModelConfig(int vocabSize, int classes, int seqLen, int dModel, int dFf, int dK, int heads, int depth,
      NormPlacement norm, boolean causal, Set<Integer> layersWithoutMlp, boolean outputBias, Set<String> frozen,
      boolean tiedLayers) {
    this(vocabSize, classes, seqLen, dModel, dFf, dK, heads, depth, norm, causal, layersWithoutMlp, outputBias,
        frozen, tiedLayers, true, java.util.Map.of());
  }

  /** A model with one set of parameters per layer. */
  public ModelConfig(int vocabSize, int classes, int seqLen, int dModel, int dFf, int dK, int heads, int depth,
      NormPlacement norm, boolean causal, Set<Integer> layersWithoutMlp, boolean outputBias, Set<String> frozen) {
    this(vocabSize, classes, seqLen, dModel, dFf, dK, heads, depth, norm, causal, layersWithoutMlp, outputBias,
        frozen, false);
  }

  /** This model with {@code name} starting from {@code init} instead of a draw. */
  public ModelConfig withFixedInit(String name, FixedInit init) {
    java.util.Map<String, FixedInit> fixed = new java.util.TreeMap<>(fixedInit);
    fixed.put(name, init);
    return new ModelConfig(vocabSize, classes, seqLen, dModel, dFf, dK, heads, depth, norm, causal, layersWithoutMlp,
        outputBias, frozen, tiedLayers, residual, fixed);
  }

  /** The block whose parameters layer {@code layer} uses: itself, or block 0 when tied. */
  public int parameterBlock(int layer) {
    return tiedLayers ? 0 : layer;
  }

  /** How many blocks of parameters the model has: 1 when tied, else the depth. */
  public int parameterBlocks() {
    return tiedLayers ? 1 : depth;
  }

  /** Frozen or fixed-init names that are not parameters of this model (empty when all are). */
  public Set<String> unknownFrozen() {
    Set<String> unknown = new java.util.TreeSet<>(frozen);
    unknown.addAll(fixedInit.keySet());
    unknown.removeAll(ParameterLayout.names(this));
    return unknown;
  }

  /** The anchor study's model: causal, single head, post-LN, untied output with bias, nothing frozen. */
  public static ModelConfig anchor(int vocab, int seqLen, int dModel, int dFf, int dK, int depth) {
    return new ModelConfig(
        vocab, vocab, seqLen, dModel, dFf, dK, 1, depth, NormPlacement.POST, true, Set.of(), true, Set.of());
  }

  public boolean hasMlp(int layer) {
    return !layersWithoutMlp.contains(layer);
  }

  public int attnWidth() {
    return heads * dK;
  }
}
