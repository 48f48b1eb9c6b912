package io.mechsweep.analysis.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads one checkpoint (parameters only, verified against their SHA-256) as a one-member model
 * and runs the weight probes and the task's probes on it. Everything it allocates is freed
 * before it returns, so a task can probe checkpoint after checkpoint with one model in memory.
 */
public final class CheckpointProber {
  private CheckpointProber() {}

  public static List<ProbeRow> probe(
      RunStore store, CheckpointRef ref, TaskProbes taskProbes, NDManager parent) throws IOException {
    try (NDManager manager = parent.newSubManager()) {
      NDList loaded = store.loadParams(ref.runId(), ref.step(), manager);
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      Map<String, WeightMatrix> weights = new LinkedHashMap<>();
      for (NDArray t : loaded) {
        tensors.put(t.getName(), t);
        long[] shape = t.getShape().getShape(); // (1, rows, cols)
        weights.put(t.getName(), new WeightMatrix(t.getName(), (int) shape[1], (int) shape[2], Tensors.floats(t)));
      }
      PackedTransformer model = new PackedTransformer(ref.model(), new ParameterSet(tensors));
      List<ProbeRow> rows = new ArrayList<>(WeightProbes.probe(ref.runId(), ref.step(), weights, taskProbes.inputTokens()));
      rows.addAll(taskProbes.probe(ref.runId(), ref.step(), model, weights));
      return rows;
    }
  }
}
