package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.ParameterLayout;
import io.mechsweep.training.optim.LrSchedule;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mechsweep's training against a plain PyTorch implementation of the same model
 * (training/python/anchor_reference.py): same initial weights, same batches, same schedule;
 * the loss must agree at every one of the first 200 steps and the final accuracies must match.
 */
class PyTorchParityTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final int STEPS = 200;
  private static final int BATCH = 64;

  @TempDir Path dir;

  @Test
  void lossesAndAccuraciesMatchPyTorch() throws Exception {
    assertThat(Path.of(PYTHON)).as("the parity test needs Debian's python3-torch: apt-get install"
        + " python3-torch libopenblas0-pthread (bin/test and .ci/run install them)").exists();
    TaskData data = new AnchorDataset(new AnchorSpec(9, 400, 40, 9, false)).generateInMemory(300);
    ModelConfig model = ModelConfig.anchor(AnchorRules.VOCAB_SIZE, AnchorRules.SEQ_LEN, 32, 64, 16, 2);
    LrSchedule schedule = new LrSchedule(20, STEPS, 1e-5, 1e-5);
    TrainConfig train = new TrainConfig(STEPS, BATCH, 0.9, 0.999, 1e-8, schedule, 1.0, 1, STEPS, 0);
    MemberSpec member = new MemberSpec("parity", 17, 0.5, 3e-3, 0.01);

    writeInputs(data, model, train, member);
    RunOutcome ours = new PackTrainer(new PackSpec("parity", model, train, List.of(member)), data, null, Device.cpu())
        .train().get(0);
    assertThat(ours.status()).as("%s", ours.reason()).isEqualTo(RunOutcome.FINISHED);
    JsonNode theirs = runPyTorch();

    JsonNode losses = theirs.get("losses");
    assertThat(losses.size()).isEqualTo(STEPS);
    double worst = 0;
    for (int s = 0; s < STEPS; s++) {
      double a = ours.metrics().get(s).loss();
      double b = losses.get(s).asDouble();
      double rel = Math.abs(a - b) / Math.abs(b);
      worst = Math.max(worst, rel);
      assertThat(rel).as("step %d: mechsweep %s vs pytorch %s", s + 1, a, b).isLessThan(1e-3);
    }
    System.out.printf("parity: worst relative loss difference over %d steps %.2e; loss %.4f -> %.4f%n",
        STEPS, worst, ours.metrics().get(0).loss(), ours.metrics().get(STEPS - 1).loss());
    assertThat(ours.metrics().get(STEPS - 1).loss()).as("it learned something")
        .isLessThan(ours.metrics().get(0).loss() - 0.5);
    for (EvalSet set : data.evalSets()) {
      double mine = ours.evals().stream()
          .filter(r -> r.step() == STEPS && r.evalSet().equals(set.name()) && r.metric().equals(EvalRow.ACCURACY)
              && r.bucket().equals(EvalRow.ALL))
          .findFirst().orElseThrow().value();
      double torch = theirs.get("accuracies").get(set.name()).asDouble();
      // Same predictions up to at most one near-tie flipped by float rounding.
      assertThat(Math.abs(mine - torch)).as("final accuracy on " + set.name())
          .isLessThanOrEqualTo(1.0 / set.table().rows() + 1e-9);
    }
  }

  private void writeInputs(TaskData data, ModelConfig model, TrainConfig train, MemberSpec member) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, float[]> init = GammaInitializer.member(model, member.gamma(), member.seed());
      NDList params = new NDList();
      for (ParameterLayout.Entry e : ParameterLayout.of(model)) {
        NDArray t = Tensors.of(m, init.get(e.name()), new Shape(1, e.rows(), e.cols()));
        t.setName(e.name());
        params.add(t);
      }
      save(params, "init.npz");

      // The batches the trainer will draw: its sampler is a pure function of (seed, step).
      BatchSampler sampler = new BatchSampler(member.seed(), data.train().rows(), BATCH);
      int t = data.seqLen();
      long[] tokens = new long[STEPS * BATCH * t];
      long[] targets = new long[STEPS * BATCH];
      for (int s = 0; s < STEPS; s++) {
        int[] rows = sampler.batch(s);
        for (int i = 0; i < BATCH; i++) {
          for (int j = 0; j < t; j++) {
            tokens[(s * BATCH + i) * t + j] = data.train().tokens()[rows[i] * t + j];
          }
          targets[s * BATCH + i] = data.train().targets()[rows[i]];
        }
      }
      save(new NDList(named(Tensors.of(m, tokens, new Shape(STEPS, BATCH, t)), "tokens"),
          named(Tensors.of(m, targets, new Shape(STEPS, BATCH)), "targets")), "batches.npz");

      NDList evals = new NDList();
      for (EvalSet set : data.evalSets()) {
        TokenTable table = set.table();
        long[] et = new long[table.tokens().length];
        long[] eg = new long[table.rows()];
        for (int i = 0; i < et.length; i++) et[i] = table.tokens()[i];
        for (int i = 0; i < eg.length; i++) eg[i] = table.targets()[i];
        evals.add(named(Tensors.of(m, et, new Shape(table.rows(), t)), set.name() + ".tokens"));
        evals.add(named(Tensors.of(m, eg, new Shape(table.rows())), set.name() + ".targets"));
      }
      save(evals, "eval.npz");
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("vocab", model.vocabSize());
    c.put("seq_len", model.seqLen());
    c.put("d_model", model.dModel());
    c.put("d_ff", model.dFf());
    c.put("d_k", model.dK());
    c.put("heads", model.heads());
    c.put("depth", model.depth());
    c.put("steps", train.steps());
    c.put("warmup_steps", train.schedule().warmupSteps());
    c.put("start_lr", train.schedule().startLr());
    c.put("min_lr", train.schedule().minLr());
    c.put("peak_lr", member.peakLr());
    c.put("beta1", train.beta1());
    c.put("beta2", train.beta2());
    c.put("eps", train.eps());
    c.put("weight_decay", member.weightDecay());
    c.put("clip_norm", train.clipNorm());
    c.put("eval_sets", data.evalSets().stream().map(EvalSet::name).toList());
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), c);
  }

  private JsonNode runPyTorch() throws Exception {
    Path script = Path.of("python", "anchor_reference.py").toAbsolutePath();
    Process p = new ProcessBuilder(PYTHON, script.toString(), "parity", dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("pytorch reference output:\n" + output).isZero();
    return new ObjectMapper().readTree(dir.resolve("losses.json").toFile());
  }

  private void save(NDList list, String name) throws Exception {
    try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
      list.encode(out, NDList.Encoding.NPZ);
    }
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
