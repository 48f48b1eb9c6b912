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
 * @param fixedHeads the LEGO attention module: per layer, the patterns of its last heads, which
 *     attend by that pattern ({@link AttentionPattern}) and compute no queries or keys (layer 0
 *     {@code [ASSOCIATION, LOCAL]} of 4 heads: heads 2 and 3); empty for softmax heads only
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
    java.util.Map<String, FixedInit> fixedInit,
    java.util.Map<Integer, java.util.List<AttentionPattern>> fixedHeads)
    implements Serializable {

  public ModelConfig {
    layersWithoutMlp = Set.copyOf(layersWithoutMlp);
    frozen = Set.copyOf(frozen);
    fixedInit = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(fixedInit));
    java.util.TreeMap<Integer, java.util.List<AttentionPattern>> byLayer = new java.util.TreeMap<>();
    fixedHeads.forEach((layer, patterns) -> {
      if (!patterns.isEmpty()) {
        byLayer.put(layer, java.util.List.copyOf(patterns));
      }
    });
    fixedHeads = java.util.Collections.unmodifiableMap(byLayer);
    if (vocabSize < 2 || classes < 2 || seqLen < 1 || dModel < 1 || dFf < 1 || dK < 1 || heads < 1
        || depth < 1) {
      throw new IllegalArgumentException("all model sizes must be positive: " + this);
    }
    if (tiedLayers && !layersWithoutMlp.isEmpty()) {
      throw new IllegalArgumentException("tied layers share one block, so no layer can drop its MLP alone");
    }
    for (var e : fixedHeads.entrySet()) {
      if (e.getKey() < 0 || e.getKey() >= depth || e.getValue().size() > heads) {
        throw new IllegalArgumentException("fixed heads " + e.getValue() + " at layer " + e.getKey()
            + " do not fit a model of depth " + depth + " with " + heads + " heads");
      }
    }
    if (tiedLayers && !fixedHeads.isEmpty()) {
      throw new IllegalArgumentException("tied layers share one block, so no layer can fix heads alone");
    }
  }

  /** A residual model whose parameters are all drawn (every study before topics). */
  public ModelConfig(int vocabSize, int classes, int seqLen, int dModel, int dFf, int dK, int heads, int depth,
      NormPlacement norm, boolean causal, Set<Integer> layersWithoutMlp, boolean outputBias, Set<String> frozen,
      boolean tiedLayers) {
    this(vocabSize, classes, seqLen, dModel, dFf, dK, heads, depth, norm, causal, layersWithoutMlp, outputBias,
        frozen, tiedLayers, true, java.util.Map.of(), java.util.Map.of());
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
        outputBias, frozen, tiedLayers, residual, fixed, fixedHeads);
  }

  /** This model with the LEGO attention module's fixed heads ({@link #fixedHeads}). */
  public ModelConfig withFixedHeads(java.util.Map<Integer, java.util.List<AttentionPattern>> patterns) {
    return new ModelConfig(vocabSize, classes, seqLen, dModel, dFf, dK, heads, depth, norm, causal,
        layersWithoutMlp, outputBias, frozen, tiedLayers, residual, fixedInit, patterns);
  }

  /** The fixed patterns of {@code layer}'s last heads, in head order; empty when all heads are learned. */
  public java.util.List<AttentionPattern> fixedHeads(int layer) {
    return fixedHeads.getOrDefault(layer, java.util.List.of());
  }

  /** Heads of {@code layer} with queries and keys: the first {@code heads − fixed} ones. */
  public int learnedHeads(int layer) {
    return heads - fixedHeads(layer).size();
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
