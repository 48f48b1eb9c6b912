package io.mechsweep.training.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.ParameterLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code training/python/reference.py parity DIR} reads to train one run in PyTorch from the
 * same start as mechsweep: config.json, init.npz (the member's initial weights), batches.npz (the
 * batches the trainer draws: a pure function of the member's seed and the step) and eval.npz.
 * Written on the machine that has the data; the run itself may then train anywhere (train-packs
 * on a GPU) and the two loss curves are compared with {@code reference.py compare}.
 */
public final class ReferenceInputs {
  private ReferenceInputs() {}

  public static void write(Path dir, ModelConfig model, TrainConfig train, MemberSpec member, TaskData data,
      int threads) throws IOException {
    Files.createDirectories(dir);
    Map<String, float[]> init = GammaInitializer.member(model, member.init(), member.seed());
    try (NDManager m = NDManager.newBaseManager()) {
      NDList params = new NDList();
      for (ParameterLayout.Entry e : ParameterLayout.of(model)) {
        params.add(named(Tensors.of(m, init.get(e.name()), new Shape(1, e.rows(), e.cols())), e.name()));
      }
      save(params, dir.resolve("init.npz"));

      TrainSource.BatchStream stream = data.train().stream(member.seed(), train.batchSize());
      List<TokenTable> batches = new ArrayList<>(train.steps());
      for (int s = 0; s < train.steps(); s++) {
        batches.add(stream.batch(s));
      }
      save(reads(m, batches, "", true), dir.resolve("batches.npz"));

      NDList evals = new NDList();
      for (EvalSet set : data.evalSets()) {
        evals.addAll(reads(m, List.of(set.table()), set.name() + ".", false));
      }
      save(evals, dir.resolve("eval.npz"));
    }

    Map<String, Object> t = new LinkedHashMap<>();
    t.put("steps", train.steps());
    t.put("warmup_steps", train.schedule().warmupSteps());
    t.put("start_lr", orNull(train.schedule().startLr())); // null: the member's peak lr
    t.put("min_lr", orNull(train.schedule().minLr()));
    t.putAll(ReferenceConfig.optimizer(train));
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model", ReferenceConfig.model(model));
    c.put("train", t);
    c.put("member", Map.of("peak_lr", member.peakLr(), "weight_decay", member.weightDecay()));
    c.put("eval_sets", data.evalSets().stream().map(EvalSet::name).toList());
    c.put("threads", threads);
    c.put("run_id", member.runId());
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), c);
  }

  /**
   * Tables of equal shape stacked: {@code tokens (N,B,T)}, and per read {@code targets},
   * {@code positions} (the last one when the table reads only there) and {@code loss_mask}
   * (1 where the table has none), each {@code (N,B,R)}, and {@code key_mask (N,B,T)} (1 where the
   * table has none); N is dropped when {@code stacked} is false.
   */
  private static NDList reads(NDManager m, List<TokenTable> tables, String prefix, boolean stacked) {
    TokenTable first = tables.get(0);
    int n = tables.size();
    int b = first.rows();
    int t = first.seqLen();
    int r = first.reads();
    long[] tokens = new long[n * b * t];
    long[] targets = new long[n * b * r];
    long[] positions = new long[n * b * r];
    float[] mask = new float[n * b * r];
    float[] keys = new float[n * b * t];
    for (int i = 0; i < n; i++) {
      TokenTable table = tables.get(i);
      if (table.rows() != b) {
        throw new IllegalArgumentException("batch " + i + " has " + table.rows() + " rows, not " + b);
      }
      for (int j = 0; j < b * t; j++) {
        tokens[i * b * t + j] = table.tokens()[j];
        keys[i * b * t + j] = table.keyMask() == null ? 1f : table.keyMask()[j];
      }
      for (int j = 0; j < b * r; j++) {
        targets[i * b * r + j] = table.targets()[j];
        positions[i * b * r + j] = table.readPositions() == null ? t - 1 : table.readPositions()[j];
        mask[i * b * r + j] = table.lossMask() == null ? 1f : table.lossMask()[j];
      }
    }
    Shape perToken = stacked ? new Shape(n, b, t) : new Shape(b, t);
    Shape perRead = stacked ? new Shape(n, b, r) : new Shape(b, r);
    return new NDList(
        named(Tensors.of(m, tokens, perToken), prefix + "tokens"),
        named(Tensors.of(m, targets, perRead), prefix + "targets"),
        named(Tensors.of(m, positions, perRead), prefix + "positions"),
        named(Tensors.of(m, mask, perRead), prefix + "loss_mask"),
        named(Tensors.of(m, keys, perToken), prefix + "key_mask"));
  }

  private static Double orNull(double x) {
    return Double.isNaN(x) ? null : x;
  }

  private static void save(NDList list, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      list.encode(out, NDList.Encoding.NPZ);
    }
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
