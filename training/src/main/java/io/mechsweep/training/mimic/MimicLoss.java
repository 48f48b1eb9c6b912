package io.mechsweep.training.mimic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.PackedTransformer;

/**
 * The mimicking loss: {@link AttentionTargets#divergence} of head 0 from the local band and of
 * head 1 from the association map, per query, averaged over queries, sequences, layers and the two
 * heads (the public code sums over layers; with Adam only the scale of the lr differs).
 */
public final class MimicLoss {
  private MimicLoss() {}

  /** Per-member loss {@code (K,)}; {@code tokens} are the pack's batch, {@code (K·B·T)} row-major. */
  public static NDArray of(PackedTransformer model, long[] tokens, int k, int b, int t, NDManager manager) {
    if (model.config().heads() < 2) {
      throw new IllegalArgumentException("mimicking trains heads 0 and 1: the model needs 2 heads or more");
    }
    float[] association = new float[k * b * t * t];
    int[] row = new int[t];
    for (int s = 0; s < k * b; s++) {
      for (int i = 0; i < t; i++) {
        row[i] = (int) tokens[s * t + i];
      }
      System.arraycopy(AttentionTargets.smoothed(AttentionTargets.association(row), t), 0, association, s * t * t, t * t);
    }
    NDArray band = Tensors.of(manager, AttentionTargets.smoothed(AttentionTargets.localBand(t), t), new Shape(1, 1, t, t));
    NDArray assoc = Tensors.of(manager, association, new Shape(k, b, t, t));
    NDArray input = Tensors.of(manager, tokens, new Shape(k, b, t));
    PackedTransformer.Output out = model.forward(input, false, true);
    NDArray total = null;
    for (int l = 0; l < model.config().depth(); l++) {
      NDArray pattern = out.trace().get(Names.attnPattern(l)); // (K,B,H,T,T)
      NDArray kl = kl(pattern.get(":, :, 0"), band).add(kl(pattern.get(":, :, 1"), assoc)); // (K,)
      total = total == null ? kl : total.add(kl);
    }
    return total.div(2f * model.config().depth());
  }

  /**
   * Mean over sequences and queries of KL(smoothed p ‖ reference), {@code p} {@code (K,B,T,T)};
   * {@code reference} is already smoothed and broadcasts to p's shape.
   */
  static NDArray kl(NDArray p, NDArray reference) {
    long t = p.getShape().get(3);
    NDArray smooth = p.add(AttentionTargets.SMOOTHING).div(1f + t * AttentionTargets.SMOOTHING);
    NDArray perQuery = smooth.mul(smooth.log().sub(reference.log())).sum(new int[] {3}); // (K,B,T)
    Shape s = perQuery.getShape();
    return perQuery.sum(new int[] {1, 2}).div((float) (s.get(1) * s.get(2))); // libtorch's mean takes one axis in DJL
  }
}
