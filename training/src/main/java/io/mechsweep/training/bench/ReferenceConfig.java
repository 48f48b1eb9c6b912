package io.mechsweep.training.bench;

import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The sections of the config json that {@code training/python/reference.py} reads (its
 * {@code parity} and {@code bench} modes) to build the same model and optimizer in PyTorch.
 */
public final class ReferenceConfig {
  private ReferenceConfig() {}

  /** {@code model}: the shapes and the variant's wiring. */
  public static Map<String, Object> model(ModelConfig mc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vocab", mc.vocabSize());
    m.put("classes", mc.classes());
    m.put("seq_len", mc.seqLen());
    m.put("d_model", mc.dModel());
    m.put("d_ff", mc.dFf());
    m.put("d_k", mc.dK());
    m.put("heads", mc.heads());
    m.put("depth", mc.depth());
    m.put("norm", mc.norm().name());
    m.put("causal", mc.causal());
    m.put("layers_without_mlp", new TreeSet<>(mc.layersWithoutMlp()));
    m.put("output_bias", mc.outputBias());
    m.put("frozen", new TreeSet<>(mc.frozen()));
    m.put("tied_layers", mc.tiedLayers());
    m.put("residual", mc.residual());
    Map<String, Object> fixed = new LinkedHashMap<>();
    mc.fixedHeads().forEach((layer, patterns) -> fixed.put(String.valueOf(layer), patterns.stream().map(Enum::name).toList()));
    m.put("fixed_heads", fixed);
    return m;
  }

  /** The optimizer part of {@code train}: AdamW's betas and ε, and the clipping norm (0 = none). */
  public static Map<String, Object> optimizer(TrainConfig tc) {
    Map<String, Object> train = new LinkedHashMap<>();
    train.put("beta1", tc.beta1());
    train.put("beta2", tc.beta2());
    train.put("eps", tc.eps());
    train.put("clip_norm", tc.clipNorm());
    return train;
  }
}
