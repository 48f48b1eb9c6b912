package io.mechsweep.training.listener;

import ai.djl.ndarray.NDManager;
import io.mechsweep.training.Tensors;

/**
 * The largest bytes of tensors alive in {@code manager} at the end of any update it hears of:
 * with the step's scope still open, that is the step's high-water mark of tensors (a view counts
 * as a copy, so it errs high).
 */
public final class MemoryProbe implements TrainingListener {
  private final NDManager manager;
  private long maxBytes;

  public MemoryProbe(NDManager manager) {
    this.manager = manager;
  }

  @Override
  public void onUpdate(String stage, int done) {
    maxBytes = Math.max(maxBytes, Tensors.bytes(manager.getManagedArrays()));
  }

  public long maxBytes() {
    return maxBytes;
  }
}
