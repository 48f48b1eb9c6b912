package io.mechsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.TokenTable;
import java.util.List;

/** Which positions attention may look at, as the tensor the model takes (training and evaluation). */
public final class KeyMasks {
  private KeyMasks() {}

  /**
   * The members' key masks for rows {@code start .. start+n−1} as {@code (K, n, T)} float, or null
   * when no table hides any key. A table without a mask shows every key.
   */
  public static NDArray of(List<TokenTable> tables, int start, int n, NDManager manager) {
    if (tables.stream().allMatch(t -> t.keyMask() == null)) {
      return null;
    }
    int t = tables.get(0).seqLen();
    float[] mask = new float[tables.size() * n * t];
    for (int m = 0; m < tables.size(); m++) {
      float[] own = tables.get(m).keyMask();
      for (int i = 0; i < n * t; i++) {
        mask[m * n * t + i] = own == null ? 1f : own[start * t + i];
      }
    }
    return Tensors.of(manager, mask, new Shape(tables.size(), n, t));
  }
}
