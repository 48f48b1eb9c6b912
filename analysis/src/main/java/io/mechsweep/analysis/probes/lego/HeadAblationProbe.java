package io.mechsweep.analysis.probes.lego;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.datagen.lego.LegoChain;
import io.mechsweep.datagen.lego.LegoOrder;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.HeadAblation;
import io.mechsweep.training.model.PackedTransformer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy per chain position with one head ablated, for every head: what tests a claim such as
 * "this association head does the lookup" (accuracy at the lookup positions drops while positions
 * 1–2 survive). Rows {@code zero_ablation_accuracy} and {@code mean_ablation_accuracy} per layer,
 * head and {@code read_<position>}; the same probes with no layer and head are the unablated model.
 *
 * @param tokens the chains' tokens, {@code B × T}
 * @param positions where each chain position is read, {@code B × n}
 * @param targets each chain position's value, {@code B × n}
 */
record HeadAblationProbe(String set, int b, int t, int n, long[] tokens, long[] positions, int[] targets)
    implements Serializable {
  static final String ZERO = "zero_ablation_accuracy";
  static final String MEAN = "mean_ablation_accuracy";

  static HeadAblationProbe of(String set, List<LegoChain> chains, LegoOrder order, int seqLen) {
    int b = chains.size();
    int n = chains.get(0).length();
    long[] tokens = new long[b * seqLen];
    long[] positions = new long[b * n];
    int[] targets = new int[b * n];
    for (int i = 0; i < b; i++) {
      int[] seq = chains.get(i).tokens(order, seqLen);
      for (int j = 0; j < seqLen; j++) {
        tokens[i * seqLen + j] = seq[j];
      }
      int[] at = chains.get(i).readPositions(order);
      int[] values = chains.get(i).values();
      for (int k = 0; k < n; k++) {
        positions[i * n + k] = at[k];
        targets[i * n + k] = values[k];
      }
    }
    return new HeadAblationProbe(set, b, seqLen, n, tokens, positions, targets);
  }

  List<ProbeRow> probe(String runId, int step, PackedTransformer model, NDManager manager) {
    List<ProbeRow> rows = new ArrayList<>();
    for (String probe : List.of(ZERO, MEAN)) {
      addRows(rows, runId, step, probe, null, null, accuracies(model, manager, null));
    }
    for (int l = 0; l < model.config().depth(); l++) {
      for (int h = 0; h < model.config().heads(); h++) {
        for (HeadAblation.Mode mode : HeadAblation.Mode.values()) {
          double[] acc = accuracies(model, manager, new HeadAblation(l, h, mode));
          addRows(rows, runId, step, mode == HeadAblation.Mode.ZERO ? ZERO : MEAN, l, h, acc);
        }
      }
    }
    return rows;
  }

  /** Accuracy per chain position (index 0 = position 1) with {@code ablation}, or none when null. */
  double[] accuracies(PackedTransformer model, NDManager manager, HeadAblation ablation) {
    try (NDScope scope = new NDScope()) {
      NDArray logits = model.logitsAt(Tensors.of(manager, tokens, new Shape(1, b, t)),
          Tensors.of(manager, positions, new Shape(1, b, n)), null, ablation); // (1,B,n,C)
      long[] predicted = Tensors.longs(logits.argMax(-1)); // (1,B,n), as the evaluator scores
      double[] correct = new double[n];
      for (int i = 0; i < b * n; i++) {
        correct[i % n] += predicted[i] == targets[i] ? 1 : 0;
      }
      for (int k = 0; k < n; k++) {
        correct[k] /= b;
      }
      return correct;
    }
  }

  private void addRows(List<ProbeRow> rows, String runId, int step, String probe, Integer layer, Integer head,
      double[] accuracy) {
    for (int k = 0; k < n; k++) {
      rows.add(new ProbeRow(runId, step, probe, null, layer, head, set, "read_" + (k + 1), accuracy[k]));
    }
  }
}
