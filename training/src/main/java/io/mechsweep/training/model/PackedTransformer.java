package io.mechsweep.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import io.mechsweep.training.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pack of K transformers of one {@link ModelConfig} evaluated as one batched model.
 *
 * <p>Shapes: K pack members, B sequences, T positions, d model width, H heads. Linear layers
 * run on {@code (K, B·T, d)} so each is one batched GEMM per member. When only the last position
 * is read (anchor, varassign), the last block computes its queries and MLP at that position only;
 * {@link #logitsAt} reads chosen positions of the full output.
 */
public final class PackedTransformer {
  private static final float LN_EPS = 1e-5f;
  /**
   * Score added at masked positions: exp underflows to exactly 0 as with −∞, but a finite value
   * cannot produce −∞ − (−∞) = NaN. The PyTorch reference uses the same constant.
   */
  static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final ParameterSet params;
  /** 1/√d_k as a tensor libtorch owns (see {@link #attention} for why not a Java number). */
  private final NDArray scale;
  /** Added to full-length (T×T) scores of causal layers; null for encoders. */
  private final NDArray causalMask;
  /** The LEGO module's local band (T×T), or null when no head uses it. */
  private final NDArray localBand;
  /** Whether a fixed head uses the association map, which each forward pass then computes once. */
  private final boolean associationHeads;

  /** Build outside any {@code NDScope}: the constants made here live as long as the model. */
  public PackedTransformer(ModelConfig config, ParameterSet params) {
    this.config = config;
    this.params = params;
    NDManager manager = params.get(Names.TOKEN_EMBEDDING).getManager();
    this.scale = Tensors.of(manager, new float[] {(float) (1 / Math.sqrt(config.dK()))}, new Shape());
    this.causalMask = config.causal() ? causalMask(manager, config.seqLen(), config.seqLen()) : null;
    this.associationHeads = usesPattern(config, AttentionPattern.ASSOCIATION);
    this.localBand = usesPattern(config, AttentionPattern.LOCAL)
        ? Tensors.of(manager, io.mechsweep.training.mimic.AttentionTargets.localBand(config.seqLen()),
            new Shape(config.seqLen(), config.seqLen()))
        : null;
    NDScope.unregister(scale);
    if (causalMask != null) {
      NDScope.unregister(causalMask);
    }
    if (localBand != null) {
      NDScope.unregister(localBand);
    }
  }

  private static boolean usesPattern(ModelConfig config, AttentionPattern pattern) {
    return config.fixedHeads().values().stream().anyMatch(list -> list.contains(pattern));
  }

  public ModelConfig config() {
    return config;
  }

  public ParameterSet params() {
    return params;
  }

  /**
   * Activations recorded during a forward pass, addressed by {@link Names}: the attention pattern
   * {@code (K,B,H,Tq,T)}, the attention output after W_O (before the residual), the residual
   * stream after attention and after the block, each {@code (K,B,Tq,d)}.
   */
  public record Output(NDArray logits, Map<String, NDArray> trace) {}

  /** Logits at the last position, {@code (K, B, C)}; tokens are {@code (K, B, T)} int64. */
  public NDArray logits(NDArray tokens) {
    return forward(tokens, true, false).logits();
  }

  /**
   * Logits at chosen positions, {@code (K, B, R, C)}: {@code positions} is {@code (K, B, R)}
   * int64, R read positions per sequence (lego's chain, topics' masked tokens).
   */
  public NDArray logitsAt(NDArray tokens, NDArray positions) {
    return logitsAt(tokens, positions, null);
  }

  /**
   * Logits at chosen positions when some keys are hidden: {@code keyMask} is {@code (K, B, T)}
   * float, 1 where a position may be attended to and 0 where not (padding, the masked-LM's chosen
   * positions); null hides none.
   */
  public NDArray logitsAt(NDArray tokens, NDArray positions, NDArray keyMask) {
    return logitsAt(tokens, positions, keyMask, null);
  }

  /**
   * {@link #logitsAt(NDArray, NDArray, NDArray)} with one head ablated ({@link HeadAblation}),
   * or none when {@code ablation} is null: what a head-ablation probe re-evaluates.
   */
  public NDArray logitsAt(NDArray tokens, NDArray positions, NDArray keyMask, HeadAblation ablation) {
    if (ablation != null && (ablation.layer() >= config.depth() || ablation.head() >= config.heads())) {
      throw new IllegalArgumentException("no head " + ablation.head() + " at layer " + ablation.layer());
    }
    NDArray hidden = run(tokens, false, null, keyMask, ablation); // (K,B·T,d)
    Shape s = tokens.getShape();
    long k = s.get(0);
    long b = s.get(1);
    long t = s.get(2);
    long r = positions.getShape().get(2);
    int d = config.dModel();
    NDArray index = positions.reshape(k, b, r, 1).broadcast(new Shape(k, b, r, d));
    NDArray read = hidden.reshape(k, b, t, d).gather(index, 2).reshape(k, b * r, d);
    return head(read).reshape(k, b, r, config.classes());
  }

  /**
   * @param lastOnly compute the last block at the final position only (enough for the loss)
   * @param trace whether to record activations (see {@link Output})
   * @return logits at the last position {@code (K,B,C)}
   */
  public Output forward(NDArray tokens, boolean lastOnly, boolean trace) {
    return forward(tokens, lastOnly, trace, null);
  }

  /**
   * {@link #forward(NDArray, boolean, boolean)} with keys hidden where {@code keyMask}
   * {@code (K,B,T)} is 0 (padding of shorter sequences), or none when it is null.
   */
  public Output forward(NDArray tokens, boolean lastOnly, boolean trace, NDArray keyMask) {
    Map<String, NDArray> recorded = trace ? new LinkedHashMap<>() : null;
    NDArray x = run(tokens, lastOnly, recorded, keyMask, null);
    Shape s = tokens.getShape();
    long k = s.get(0);
    long b = s.get(1);
    long tq = x.getShape().get(1) / b;
    NDArray lastX = tq == 1 ? x : lastPosition(x, k, b, tq, config.dModel()); // (K,B,d)
    return new Output(head(lastX), recorded == null ? Map.of() : recorded);
  }

  /** The final residual stream (after the final norm), {@code (K, B·Tq, d)}. */
  private NDArray run(
      NDArray tokens, boolean lastOnly, Map<String, NDArray> recorded, NDArray keyMask, HeadAblation ablation) {
    Shape s = tokens.getShape();
    long k = s.get(0);
    long b = s.get(1);
    long t = s.get(2);
    if (t != config.seqLen()) {
      throw new IllegalArgumentException("sequence length " + t + " != model's " + config.seqLen());
    }
    int d = config.dModel();

    // Token embedding: flatten the K tables to (K·V, d) and offset member k's ids by k·V.
    NDArray table = params.get(Names.TOKEN_EMBEDDING).reshape(k * config.vocabSize(), d);
    NDArray offsets =
        tokens
            .getManager()
            .arange(0, (int) k * config.vocabSize(), config.vocabSize(), DataType.INT64)
            .reshape(k, 1, 1);
    NDArray ids = tokens.add(offsets);
    NDArray x = JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false); // (K,B,T,d)
    x = x.add(params.get(Names.POSITION_EMBEDDING).reshape(k, 1, t, d)).reshape(k, b * t, d); // (K,B·T,d)

    // Hidden keys get MASKED added to their scores: (K,B,1,1,T), broadcast over heads and queries.
    NDArray hiddenKeys = keyMask == null ? null : keyMask.sub(1f).mul(-MASKED).reshape(k, b, 1, 1, t);
    NDArray association = associationHeads ? association(tokens) : null;
    long tq = t;
    for (int l = 0; l < config.depth(); l++) {
      boolean last = lastOnly && l == config.depth() - 1;
      int p = config.parameterBlock(l); // tied layers all read block 0's parameters
      NDArray attnIn = config.norm() == NormPlacement.PRE ? norm(x, Names.attnNorm(p)) : x;
      NDArray queryIn = attnIn;
      NDArray residual = x;
      if (last) {
        queryIn = lastPosition(attnIn, k, b, tq, d);
        residual = lastPosition(x, k, b, tq, d);
      }
      long outT = last ? 1 : tq;
      NDArray attnOut =
          attention(queryIn, attnIn, k, b, outT, tq, l, p, recorded, hiddenKeys, association,
              ablation != null && ablation.layer() == l ? ablation : null); // (K,B·Tq,d)
      x = config.residual() ? residual.add(attnOut) : attnOut;
      if (config.norm() == NormPlacement.POST) {
        x = norm(x, Names.attnNorm(p));
      }
      if (recorded != null) {
        recorded.put(Names.attnOut(l), attnOut.reshape(k, b, outT, d));
        recorded.put(Names.residMid(l), x.reshape(k, b, outT, d));
      }
      if (config.hasMlp(l)) {
        NDArray mlpIn = config.norm() == NormPlacement.PRE ? norm(x, Names.mlpNorm(p)) : x;
        NDArray hidden = Activation.relu(mlpIn.matMul(params.get(Names.mlpIn(p))));
        NDArray mlpOut = hidden.matMul(params.get(Names.mlpOut(p)));
        x = config.residual() ? x.add(mlpOut) : mlpOut;
        if (config.norm() == NormPlacement.POST) {
          x = norm(x, Names.mlpNorm(p));
        }
      }
      tq = outT;
      if (recorded != null) {
        recorded.put(Names.residPost(l), x.reshape(k, b, tq, d));
      }
    }
    if (config.norm() == NormPlacement.PRE) {
      x = norm(x, Names.FINAL_NORM);
    }
    return x;
  }

  /** Unembedding: {@code (K, N, d)} → {@code (K, N, C)}. */
  private NDArray head(NDArray x) {
    NDArray logits = x.matMul(params.get(Names.UNEMBED));
    return config.outputBias() ? logits.add(params.get(Names.UNEMBED_BIAS)) : logits;
  }

  /** (K, B·T, d) → (K, B, d) at position T-1. */
  private static NDArray lastPosition(NDArray x, long k, long b, long t, long d) {
    return x.reshape(k, b, t, d).get(":, :, -1, :");
  }

  /**
   * Multi-head attention of {@code layer} with the parameters of block {@code block}. {@code q}
   * is {@code (K, B·Tq, d)}, {@code kv} is {@code (K, B·T, d)}; returns {@code (K, B·Tq, d)}
   * after W_O. Records the pattern into {@code rec} unless null.
   */
  private NDArray attention(
      NDArray q, NDArray kv, long k, long b, long tq, long t, int layer, int block, Map<String, NDArray> rec,
      NDArray hiddenKeys, NDArray association, HeadAblation ablation) {
    int h = config.heads();
    int hl = config.learnedHeads(layer);
    int dk = config.dK();
    // Q, K, then V, in this order: the order the autograd graph is built in sets the order in which
    // the gradients into kv are summed, so another order changes every trained model by rounding.
    NDArray queries = null;
    NDArray keys = null;
    if (hl > 0) { // (K, B·T, Hl·dk) → (K, B, Hl, T, dk): the learned heads, the first Hl of the layer
      queries = heads(q.matMul(params.get(Names.attnQ(block))), k, b, tq, hl, dk);
      keys = heads(kv.matMul(params.get(Names.attnK(block))), k, b, t, hl, dk);
    }
    NDArray values = heads(kv.matMul(params.get(Names.attnV(block))), k, b, t, h, dk); // (K,B,H,T,dk)
    NDArray pattern = null;
    if (hl > 0) {
      // Scale by a tensor libtorch owns, never by a Java number: DJL turns a number into a scalar
      // tensor over a Java buffer that it frees right after the op, while the autograd graph keeps
      // that tensor for the backward of the product. Reading it after the JVM released it gave
      // sporadic NaN gradients in q and k (GC-timing dependent; see docs/platform.md).
      NDArray scores = queries.matMul(keys.transpose(0, 1, 2, 4, 3)).mul(scale); // (K,B,Hl,Tq,T)
      // Queries are either all T positions or only the last, which sees every key: no mask then.
      if (causalMask != null && tq > 1) {
        scores = scores.add(causalMask);
      }
      if (hiddenKeys != null) {
        scores = scores.add(hiddenKeys);
      }
      pattern = scores.softmax(-1);
    }
    if (hl < h) {
      NDArray fixed = fixedPatterns(config.fixedHeads(layer), association, k, b, tq, t); // (K,B,Hf,Tq,T)
      pattern = pattern == null ? fixed : pattern.concat(fixed, 2);
    }
    if (rec != null) {
      rec.put(Names.attnPattern(layer), pattern);
    }
    NDArray mixed = pattern.matMul(values); // (K,B,H,Tq,dk)
    if (ablation != null) {
      mixed = ablate(mixed, ablation, h);
    }
    NDArray merged = mixed.transpose(0, 1, 3, 2, 4).reshape(k, b * tq, (long) h * dk);
    return merged.matMul(params.get(Names.attnO(block)));
  }

  /** {@code mixed} (K,B,H,Tq,dk) with head {@code a.head()}'s output zeroed or replaced by its mean over B and Tq. */
  private static NDArray ablate(NDArray mixed, HeadAblation a, int h) {
    float[] keep = new float[h];
    java.util.Arrays.fill(keep, 1f);
    keep[a.head()] = 0f;
    NDArray mask = Tensors.of(mixed.getManager(), keep, new Shape(1, 1, h, 1, 1));
    NDArray kept = mixed.mul(mask);
    if (a.mode() == HeadAblation.Mode.ZERO) {
      return kept;
    }
    NDArray mean = mixed.mean(new int[] {3}, true).mean(new int[] {1}, true); // (K,1,H,1,dk)
    return kept.add(mean.mul(mask.neg().add(1f)));
  }

  /** The fixed heads' patterns stacked in head order, the last {@code tq} query rows of each. */
  private NDArray fixedPatterns(
      java.util.List<AttentionPattern> patterns, NDArray association, long k, long b, long tq, long t) {
    NDArray stacked = null;
    for (AttentionPattern p : patterns) {
      NDArray map = p == AttentionPattern.LOCAL
          ? localBand.broadcast(new Shape(k, b, 1, t, t))
          : association.reshape(k, b, 1, t, t);
      stacked = stacked == null ? map : stacked.concat(map, 2);
    }
    return tq == t ? stacked : stacked.get(":, :, :, -" + tq + ":, :");
  }

  /**
   * The association map of each sequence, {@code (K,B,T,T)}: query i spreads its attention
   * uniformly over the other positions holding its token, and attends nowhere when its token
   * occurs once ({@code AttentionTargets.association}, computed on the device).
   */
  private static NDArray association(NDArray tokens) {
    Shape s = tokens.getShape();
    long k = s.get(0);
    long b = s.get(1);
    long t = s.get(2);
    NDManager manager = tokens.getManager();
    NDArray same = tokens.reshape(k, b, t, 1).eq(tokens.reshape(k, b, 1, t)).toType(DataType.FLOAT32, false);
    NDArray others = same.mul(manager.eye((int) t).neg().add(1f)); // a position is not its own association
    NDArray counts = others.sum(new int[] {-1}, true).maximum(1f); // rows without repeats stay all zero
    return others.div(counts);
  }

  private static NDArray heads(NDArray x, long k, long b, long t, int h, int dk) {
    return x.reshape(k, b, t, h, dk).transpose(0, 1, 3, 2, 4);
  }

  /** {@link #MASKED} above the diagonal: query i sees keys 0..i (queries are the last tq positions). */
  static NDArray causalMask(NDManager manager, long tq, long t) {
    float[] mask = new float[(int) (tq * t)];
    for (int i = 0; i < tq; i++) {
      long queryPos = t - tq + i;
      for (int j = 0; j < t; j++) {
        mask[(int) (i * t + j)] = j > queryPos ? MASKED : 0f;
      }
    }
    return Tensors.of(manager, mask, new Shape(tq, t));
  }

  /** LayerNorm over the last axis with per-member gain and bias {@code (K,1,d)}. */
  private NDArray norm(NDArray x, String name) {
    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray centered = x.sub(mean);
    NDArray var = centered.square().mean(new int[] {-1}, true);
    NDArray normed = centered.div(var.add(LN_EPS).sqrt());
    return normed.mul(params.get(name + ".g")).add(params.get(name + ".b"));
  }
}
