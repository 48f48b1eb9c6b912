package io.mechsweep.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** Per-member gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_} per run. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales each member's gradients so their global L2 norm is at most {@code maxNorm}.
   *
   * @return each member's norm before clipping, {@code (K,)}, left on the device: reading it is a
   *     host sync, so callers do that only when they record it
   */
  public static NDArray clip(Map<String, NDArray> grads, double maxNorm, int packSize) {
    NDArray sumSq = null;
    for (NDArray g : grads.values()) {
      NDArray s = g.square().reshape(packSize, -1).sum(new int[] {1}); // (K,)
      sumSq = sumSq == null ? s : sumSq.add(s);
    }
    NDArray norms = sumSq.sqrt();
    if (maxNorm > 0) {
      // torch: coef = max_norm / (norm + 1e-6), clamped to at most 1.
      NDArray coef = norms.add(1e-6).pow(-1).mul(maxNorm).minimum(1f).reshape(new Shape(packSize, 1, 1));
      for (NDArray g : grads.values()) {
        g.muli(coef);
      }
    }
    return norms;
  }
}
