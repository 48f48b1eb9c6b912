package io.mechsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.listener.StepPhases;
import io.mechsweep.training.listener.StepPhases.Phase;
import io.mechsweep.training.model.PackedTransformer;
import java.util.List;

/**
 * One training step's batches of a pack's K members, {@code (K, B, T)} tokens with their targets,
 * and the per-member cross-entropy over them.
 *
 * <p>When every row is read once at the last position (anchor, varassign) the loss is the mean
 * over the batch of the last position's cross-entropy, computed through the model's last-position
 * shortcut. Otherwise it is the mean over the reads the loss mask keeps (targets ≥ 0, mask 1).
 */
public record PackBatch(int k, int b, TokenTable[] members) {

  /** The members' batches; ones read fewer times per row (masked LMs' chosen positions) get padding reads. */
  public static PackBatch of(List<TokenTable> batches) {
    TokenTable first = batches.get(0);
    int reads = batches.stream().mapToInt(TokenTable::reads).max().orElseThrow();
    for (TokenTable t : batches) {
      if (t.rows() != first.rows() || t.seqLen() != first.seqLen() || t.readsLastOnly() != first.readsLastOnly()
          || (t.reads() != reads && t.readsLastOnly())) {
        throw new IllegalArgumentException("pack members' batches differ in shape: " + batches);
      }
    }
    return new PackBatch(batches.size(), first.rows(),
        batches.stream().map(t -> t.withReads(reads)).toArray(TokenTable[]::new));
  }

  /** Whether the shortcut applies: one read per row at the last position, no mask, no padding. */
  private boolean lastPositionOnly() {
    for (TokenTable t : members) {
      if (!t.readsLastOnly() || t.lossMask() != null || t.keyMask() != null) {
        return false;
      }
      for (int y : t.targets()) {
        if (y < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** The members' tokens as one row-major {@code (K, B, T)} array, libtorch's int64. */
  public long[] tokens() {
    int t = members[0].seqLen();
    long[] tokens = new long[k * b * t];
    for (int m = 0; m < k; m++) {
      int[] mt = members[m].tokens();
      for (int i = 0; i < b * t; i++) {
        tokens[m * b * t + i] = mt[i];
      }
    }
    return tokens;
  }

  /** Per-member mean cross-entropy, {@code (K,)}, recorded for backward when recording is on. */
  NDArray loss(PackedTransformer model, NDManager manager) {
    return loss(model, manager, StepPhases.OFF);
  }

  /** The same, with the copy in, forward and loss timed by {@code phases}. */
  NDArray loss(PackedTransformer model, NDManager manager, StepPhases phases) {
    int t = members[0].seqLen();
    int r = members[0].reads();
    long[] tokens = tokens();
    long[] targets = new long[k * b * r];
    for (int m = 0; m < k; m++) {
      int[] my = members[m].targets();
      for (int i = 0; i < b * r; i++) {
        targets[m * b * r + i] = Math.max(0, my[i]); // padding reads are masked out below
      }
    }
    NDArray input = Tensors.of(manager, tokens, new Shape(k, b, t));
    if (lastPositionOnly()) {
      NDArray labels = Tensors.of(manager, targets, new Shape(k, b, 1));
      phases.lap(Phase.COPY);
      NDArray logits = model.logits(input); // (K,B,C)
      phases.lap(Phase.FORWARD);
      NDArray nll = logits.logSoftmax(-1).gather(labels, 2).neg(); // (K,B,1)
      NDArray loss = nll.reshape(k, b).mean(new int[] {1}); // (K,)
      phases.lap(Phase.LOSS);
      return loss;
    }
    long[] positions = new long[k * b * r];
    float[] weights = new float[k * b * r];
    for (int m = 0; m < k; m++) {
      TokenTable table = members[m];
      for (int i = 0; i < b * r; i++) {
        positions[m * b * r + i] = table.readPositions() == null ? t - 1 : table.readPositions()[i];
        boolean counted = table.targets()[i] >= 0 && (table.lossMask() == null || table.lossMask()[i] > 0);
        weights[m * b * r + i] = counted ? 1f : 0f;
      }
    }
    NDArray at = Tensors.of(manager, positions, new Shape(k, b, r));
    NDArray labels = Tensors.of(manager, targets, new Shape(k, b, r, 1));
    NDArray w = Tensors.of(manager, weights, new Shape(k, b, r));
    NDArray keys = KeyMasks.of(List.of(members), 0, b, manager);
    phases.lap(Phase.COPY);
    NDArray logits = model.logitsAt(input, at, keys);
    phases.lap(Phase.FORWARD);
    NDArray nll = logits.logSoftmax(-1).gather(labels, 3).neg().reshape(k, b, r);
    NDArray count = w.sum(new int[] {1, 2}).maximum(1f); // a member with no counted read: loss 0
    NDArray loss = nll.mul(w).sum(new int[] {1, 2}).div(count);
    phases.lap(Phase.LOSS);
    return loss;
  }
}
