package io.mechsweep.training.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.KeyMasks;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.PackedTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/** Scores every pack member on every evaluation set by the argmax at the read positions. */
public final class Evaluator {
  /** Rows per forward pass: an evaluation holds one chunk's activations at a time. */
  public static final int CHUNK = 2048;

  private Evaluator() {}

  /**
   * What one pass over a table gives: each member's predictions {@code [member][row · reads +
   * read]} and, when asked for, its mean cross-entropy over the scored reads (target ≥ 0 and,
   * where the table has a loss mask, mask 1): a masked LM's dev loss.
   *
   * @param crossEntropy {@code [member]}, or null when not asked for
   * @param lossReads how many reads the cross-entropy averages over
   */
  public record Pass(int[][] predictions, double[] crossEntropy, long lossReads) {}

  /** Predictions for one table: the argmax at the last position, or at each read position. */
  public static int[][] predict(PackedTransformer model, TokenTable table, NDManager manager) {
    return pass(model, table, manager, false).predictions();
  }

  /** Predictions and, with {@code withLoss}, the cross-entropy, from the same forward passes. */
  public static Pass pass(PackedTransformer model, TokenTable table, NDManager manager, boolean withLoss) {
    int k = (int) model.params().packSize();
    int t = table.seqLen();
    int r = table.reads();
    int[][] predictions = new int[k][table.rows() * r];
    double[] sums = withLoss ? new double[k] : null;
    long counted = 0;
    Autograd.record(false);
    for (int start = 0; start < table.rows(); start += CHUNK) {
      int n = Math.min(CHUNK, table.rows() - start);
      long[] tokens = new long[k * n * t];
      long[] positions = table.readsLastOnly() ? null : new long[k * n * r];
      for (int m = 0; m < k; m++) {
        for (int i = 0; i < n * t; i++) {
          tokens[m * n * t + i] = table.tokens()[start * t + i];
        }
        for (int i = 0; positions != null && i < n * r; i++) {
          positions[m * n * r + i] = table.readPositions()[start * r + i];
        }
      }
      try (NDScope scope = new NDScope()) {
        NDArray input = Tensors.of(manager, tokens, new Shape(k, n, t));
        NDArray keys = KeyMasks.of(java.util.Collections.nCopies(k, table), start, n, manager);
        NDArray logits = positions == null
            ? model.logits(input) // (K,n,C)
            : model.logitsAt(input, Tensors.of(manager, positions, new Shape(k, n, r)), keys); // (K,n,R,C)
        long[] argmax = Tensors.longs(logits.argMax(-1)); // (K, n·R)
        for (int m = 0; m < k; m++) {
          for (int i = 0; i < n * r; i++) {
            predictions[m][start * r + i] = (int) argmax[m * n * r + i];
          }
        }
        if (withLoss) {
          counted += addLoss(logits.reshape(k, n * r, -1), table, start * r, n * r, sums, manager);
        }
      }
    }
    double[] loss = null;
    if (withLoss) {
      loss = new double[k];
      for (int m = 0; m < k; m++) {
        loss[m] = counted == 0 ? Double.NaN : sums[m] / counted;
      }
    }
    return new Pass(predictions, loss, counted);
  }

  /**
   * Adds each member's summed cross-entropy over reads {@code from .. from+count−1} to
   * {@code sums}; returns how many of those reads are scored. {@code logits} is (K, count, C).
   */
  private static long addLoss(NDArray logits, TokenTable table, int from, int count, double[] sums,
      NDManager manager) {
    int k = sums.length;
    long[] labels = new long[k * count];
    float[] weights = new float[k * count];
    long scored = 0;
    for (int i = 0; i < count; i++) {
      int j = from + i;
      boolean counts = table.targets()[j] >= 0 && (table.lossMask() == null || table.lossMask()[j] > 0);
      scored += counts ? 1 : 0;
      for (int m = 0; m < k; m++) {
        labels[m * count + i] = Math.max(0, table.targets()[j]);
        weights[m * count + i] = counts ? 1f : 0f;
      }
    }
    NDArray nll = logits.logSoftmax(-1).gather(Tensors.of(manager, labels, new Shape(k, count, 1)), 2).neg()
        .reshape(k, count).mul(Tensors.of(manager, weights, new Shape(k, count))).sum(new int[] {1});
    float[] perMember = Tensors.floats(nll);
    for (int m = 0; m < k; m++) {
      sums[m] += perMember[m];
    }
    return scored;
  }

  /** A member's cross-entropy row (see {@link #crossEntropy}). */
  public static EvalRow crossEntropyRow(String runId, int step, EvalSet set, double value, long n) {
    return new EvalRow(runId, step, set.name(), EvalRow.CROSS_ENTROPY, EvalRow.ALL, value, n);
  }

  /**
   * Rows for one member's predictions on one set: accuracy over all reads (bucket {@code all}),
   * per group, per read slot when rows have several ({@code read_1}…), against each
   * alternative answer, and the deviation histogram when the set asks for it. Reads with a
   * negative target are padding and never scored.
   */
  public static List<EvalRow> score(String runId, int step, EvalSet set, int[] predicted) {
    List<EvalRow> rows = new ArrayList<>();
    TokenTable table = set.table();
    int[] targets = table.targets();
    int reads = table.reads();
    long n = scored(targets, i -> true);
    rows.add(row(runId, step, set.name(), EvalRow.ACCURACY, EvalRow.ALL, hits(predicted, targets, i -> true), n));
    if (set.groupNames().length > 1) {
      for (int g = 0; g < set.groupNames().length; g++) {
        int group = g;
        IntPredicate inGroup = i -> set.groupOfRow()[i / reads] == group;
        rows.add(row(runId, step, set.name(), EvalRow.ACCURACY, set.groupNames()[g],
            hits(predicted, targets, inGroup), scored(targets, inGroup)));
      }
    }
    if (reads > 1 && !set.recordLoss()) { // a masked LM's reads are its chosen positions: no fixed slots
      for (int slot = 0; slot < reads; slot++) {
        int s = slot;
        IntPredicate inSlot = i -> i % reads == s;
        rows.add(row(runId, step, set.name(), EvalRow.ACCURACY, EvalRow.readSlot(slot),
            hits(predicted, targets, inSlot), scored(targets, inSlot)));
      }
    }
    for (Map.Entry<String, int[]> alt : new TreeMap<>(set.alternativeTargets()).entrySet()) {
      rows.add(
          row(runId, step, set.name(), EvalRow.alternativeAccuracy(alt.getKey()), EvalRow.ALL,
              hits(predicted, alt.getValue(), i -> true), n));
    }
    if (set.recordDeviation()) {
      Map<Integer, Long> histogram = new TreeMap<>();
      for (int i = 0; i < targets.length; i++) {
        if (targets[i] >= 0) {
          histogram.merge(predicted[i] - targets[i], 1L, Long::sum);
        }
      }
      histogram.forEach(
          (dev, count) ->
              rows.add(row(runId, step, set.name(), EvalRow.DEVIATION, signed(dev), count, n)));
    }
    return rows;
  }

  private static long scored(int[] targets, IntPredicate keep) {
    long count = 0;
    for (int i = 0; i < targets.length; i++) {
      count += targets[i] >= 0 && keep.test(i) ? 1 : 0;
    }
    return count;
  }

  private static long hits(int[] predicted, int[] targets, IntPredicate keep) {
    long hits = 0;
    for (int i = 0; i < targets.length; i++) {
      hits += targets[i] >= 0 && keep.test(i) && predicted[i] == targets[i] ? 1 : 0;
    }
    return hits;
  }

  private static EvalRow row(
      String runId, int step, String set, String metric, String bucket, long count, long n) {
    return new EvalRow(runId, step, set, metric, bucket, n == 0 ? 0.0 : (double) count / n, n);
  }

  static String signed(int value) {
    return value > 0 ? "+" + value : Integer.toString(value);
  }
}
