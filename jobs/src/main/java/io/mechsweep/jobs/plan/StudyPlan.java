package io.mechsweep.jobs.plan;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A study's grid expanded into runs, and runs grouped into packs of equal shapes.
 *
 * <p>Runs are ordered depth → γ → peak lr → weight decay → seed; packs take consecutive runs of
 * one depth, so seeds and neighbouring γ of one cell tend to train side by side.
 */
public record StudyPlan(StudyConfig config, String datasetId, List<RunSpec> runs) {

  public static StudyPlan of(StudyConfig c) {
    String datasetId = DatasetMetadata.idOf(AnchorDataset.TASK, c.anchor());
    List<RunSpec> runs = new ArrayList<>();
    for (int depth : c.model().depths()) {
      for (double gamma : c.model().gammas()) {
        for (double lr : c.training().peakLrs()) {
          for (double wd : c.training().weightDecays()) {
            for (long seed : c.seeds()) {
              Map<String, Object> resolved = resolved(c, datasetId, depth, gamma, lr, wd, seed);
              String runId = DatasetMetadata.idOf("run", resolved);
              runs.add(new RunSpec(runId, datasetId, depth, gamma, lr, wd, seed, resolved));
            }
          }
        }
      }
    }
    return new StudyPlan(c, datasetId, List.copyOf(runs));
  }

  public ModelConfig modelConfig(int depth) {
    StudyConfig.Model m = config.model();
    return new ModelConfig(
        AnchorRules.VOCAB_SIZE, AnchorRules.SEQ_LEN, m.dModel(), m.dFf(), m.dK(), m.heads(), depth,
        m.norm(), true, Set.of(), true);
  }

  public TrainConfig trainConfig() {
    StudyConfig.Training t = config.training();
    return new TrainConfig(
        t.steps(), t.batchSize(), t.beta1(), t.beta2(), t.eps(),
        new LrSchedule(t.warmupSteps(), t.steps(), t.startLr(), t.minLr()), t.clipNorm(),
        config.logEvery(), config.evaluation().everySteps(), config.checkpointEvery());
  }

  /** Packs of at most {@code training.pack_size} runs among {@code todo}, one depth per pack. */
  public List<PackSpec> packs(List<RunSpec> todo) {
    Map<Integer, List<RunSpec>> byDepth = new TreeMap<>();
    for (RunSpec r : todo) {
      byDepth.computeIfAbsent(r.depth(), d -> new ArrayList<>()).add(r);
    }
    int size = config.training().packSize();
    List<PackSpec> packs = new ArrayList<>();
    byDepth.forEach(
        (depth, runs) -> {
          for (int i = 0; i < runs.size(); i += size) {
            List<RunSpec> members = runs.subList(i, Math.min(runs.size(), i + size));
            String packId = config.study() + "-d" + depth + "-" + (i / size);
            packs.add(
                new PackSpec(packId, modelConfig(depth), trainConfig(),
                    members.stream().map(RunSpec::member).toList()));
          }
        });
    return packs;
  }

  private static Map<String, Object> resolved(
      StudyConfig c, String datasetId, int depth, double gamma, double lr, double wd, long seed) {
    StudyConfig.Model m = c.model();
    StudyConfig.Training t = c.training();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", c.task());
    r.put("dataset_id", datasetId);
    r.put("d_model", m.dModel());
    r.put("d_ff", m.dFf());
    r.put("d_k", m.dK());
    r.put("heads", m.heads());
    r.put("depth", depth);
    r.put("norm", m.norm().name().toLowerCase(java.util.Locale.ROOT));
    r.put("gamma", gamma);
    r.put("steps", t.steps());
    r.put("batch_size", t.batchSize());
    r.put("beta1", t.beta1());
    r.put("beta2", t.beta2());
    r.put("eps", t.eps());
    r.put("weight_decay", wd);
    r.put("peak_lr", lr);
    r.put("warmup_steps", t.warmupSteps());
    r.put("start_lr", t.startLr());
    r.put("min_lr", t.minLr());
    r.put("clip_norm", t.clipNorm());
    r.put("seed", seed);
    // What a run records depends on these too; pack size and checkpoint cadence change
    // neither its numbers nor its tables, so they stay out of the id.
    r.put("eval_max_rows_per_set", c.evaluation().maxRowsPerSet());
    r.put("eval_every_steps", c.evaluation().everySteps());
    r.put("log_every_steps", c.logEvery());
    return r;
  }
}
