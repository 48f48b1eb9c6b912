package io.mechsweep.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.ParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with per-member learning rate and weight decay, written on NDArrays so its state
 * (first and second moments, step count) can be checkpointed and resumed exactly.
 *
 * <p>Same arithmetic as {@code torch.optim.AdamW}: decoupled decay {@code p ← p(1 − lr·wd)},
 * then {@code p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)}.
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private int step;

  public AdamW(ParameterSet params, double beta1, double beta2, double eps) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    params.asMap().forEach(
        (name, p) -> {
          m.put(name, p.zerosLike());
          v.put(name, p.zerosLike());
        });
  }

  /** Updates done so far (the bias-correction exponent of the next update minus one). */
  public int step() {
    return step;
  }

  /**
   * One update with the gradients currently attached to the parameters. Runs with gradient
   * recording off; {@code lr} and {@code weightDecay} hold one value per member. Parameters
   * without a gradient (frozen) are left as they are.
   */
  public void update(ParameterSet params, Map<String, NDArray> grads, float[] lr, float[] weightDecay) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    NDManager manager = params.asMap().values().iterator().next().getManager();
    int k = lr.length;
    float[] decay = new float[k];
    float[] stepSize = new float[k];
    for (int i = 0; i < k; i++) {
      decay[i] = (float) (1 - (double) lr[i] * weightDecay[i]);
      stepSize[i] = (float) (lr[i] / bc1);
    }
    try (NDArray decayK = Tensors.of(manager, decay, new Shape(k, 1, 1));
        NDArray stepK = Tensors.of(manager, stepSize, new Shape(k, 1, 1))) {
      for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
        String name = e.getKey();
        NDArray p = e.getValue();
        NDArray g = grads.get(name);
        if (g == null) { // frozen: like a torch parameter outside the optimizer, no decay either
          continue;
        }
        NDArray mi = m.get(name);
        NDArray vi = v.get(name);
        mi.muli(beta1).addi(g.mul(1 - beta1));
        vi.muli(beta2).addi(g.square().muli(1 - beta2));
        NDArray denom = vi.sqrt().divi(bc2Sqrt).addi(eps);
        p.muli(decayK);
        p.subi(mi.div(denom).muli(stepK));
      }
    }
  }

  public Map<String, NDArray> firstMoments() {
    return m;
  }

  public Map<String, NDArray> secondMoments() {
    return v;
  }

  /** Restores moments (pack-shaped, copied in place) and the step count. */
  public void restore(Map<String, NDArray> firstMoments, Map<String, NDArray> secondMoments, int steps) {
    m.forEach((name, t) -> t.set(Tensors.floats(firstMoments.get(name))));
    v.forEach((name, t) -> t.set(Tensors.floats(secondMoments.get(name))));
    this.step = steps;
  }
}
