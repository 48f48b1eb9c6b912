package io.mechsweep.training.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.PackedTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scores every pack member on every evaluation set by the argmax at the last position. */
public final class Evaluator {
  private static final int CHUNK = 2048;

  private Evaluator() {}

  /** Predictions {@code [member][row]} for one table. */
  public static int[][] predict(PackedTransformer model, TokenTable table, NDManager manager) {
    int k = (int) model.params().packSize();
    int t = table.seqLen();
    int[][] predictions = new int[k][table.rows()];
    Autograd.record(false);
    for (int start = 0; start < table.rows(); start += CHUNK) {
      int n = Math.min(CHUNK, table.rows() - start);
      long[] tokens = new long[k * n * t];
      for (int m = 0; m < k; m++) {
        for (int i = 0; i < n * t; i++) {
          tokens[m * n * t + i] = table.tokens()[start * t + i];
        }
      }
      try (NDScope scope = new NDScope()) {
        NDArray input = Tensors.of(manager, tokens, new Shape(k, n, t));
        long[] argmax = Tensors.longs(model.logits(input).argMax(-1)); // (K, n)
        for (int m = 0; m < k; m++) {
          for (int i = 0; i < n; i++) {
            predictions[m][start + i] = (int) argmax[m * n + i];
          }
        }
      }
    }
    return predictions;
  }

  /** Rows for one member's predictions on one set. */
  public static List<EvalRow> score(String runId, int step, EvalSet set, int[] predicted) {
    List<EvalRow> rows = new ArrayList<>();
    int[] targets = set.table().targets();
    long n = targets.length;
    rows.add(row(runId, step, set.name(), EvalRow.ACCURACY, EvalRow.ALL, hits(predicted, targets), n));
    if (set.groupNames().length > 1) {
      for (int g = 0; g < set.groupNames().length; g++) {
        long hits = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
          if (set.groupOfRow()[i] == g) {
            count++;
            hits += predicted[i] == targets[i] ? 1 : 0;
          }
        }
        rows.add(row(runId, step, set.name(), EvalRow.ACCURACY, set.groupNames()[g], hits, count));
      }
    }
    for (Map.Entry<String, int[]> alt : new TreeMap<>(set.alternativeTargets()).entrySet()) {
      rows.add(
          row(runId, step, set.name(), EvalRow.alternativeAccuracy(alt.getKey()), EvalRow.ALL,
              hits(predicted, alt.getValue()), n));
    }
    if (set.recordDeviation()) {
      Map<Integer, Long> histogram = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        histogram.merge(predicted[i] - targets[i], 1L, Long::sum);
      }
      histogram.forEach(
          (dev, count) ->
              rows.add(row(runId, step, set.name(), EvalRow.DEVIATION, signed(dev), count, n)));
    }
    return rows;
  }

  private static long hits(int[] predicted, int[] targets) {
    long hits = 0;
    for (int i = 0; i < targets.length; i++) {
      hits += predicted[i] == targets[i] ? 1 : 0;
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
