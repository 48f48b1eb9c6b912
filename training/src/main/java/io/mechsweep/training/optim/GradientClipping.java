package io.mechsweep.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** Per-member gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_} per run. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales each member's gradients, one tensor at a time, so their global L2 norm is at most
   * {@code maxNorm} ({@link AdamW#update(io.mechsweep.training.model.ParameterSet, Map, float[],
   * float[], double) AdamW's update} clips its flat copy with {@link #clipFlat} instead).
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
      NDArray coef = coefficient(norms, maxNorm).reshape(new Shape(packSize, 1, 1));
      for (NDArray g : grads.values()) {
        g.muli(coef);
      }
    }
    return norms;
  }

  /**
   * The same clipping of gradients laid end to end per member, {@code (K,1,N)}, scaled in place:
   * one reduction for every member's norm, one multiplication, no host read.
   *
   * @return each member's norm before clipping, {@code (K,)}, left on the device
   */
  public static NDArray clipFlat(NDArray flat, double maxNorm) {
    long k = flat.getShape().get(0);
    NDArray norms;
    try (NDArray squares = flat.square(); NDArray sumSq = squares.sum(new int[] {1, 2})) {
      norms = sumSq.sqrt(); // (K,)
    }
    if (maxNorm > 0) {
      try (NDArray coef = coefficient(norms, maxNorm); NDArray perMember = coef.reshape(k, 1, 1)) {
        flat.muli(perMember);
      }
    }
    return norms;
  }

  /** torch: coef = max_norm / (norm + 1e-6), clamped to at most 1. */
  private static NDArray coefficient(NDArray norms, double maxNorm) {
    return norms.add(1e-6).pow(-1).mul(maxNorm).minimum(1f);
  }
}
