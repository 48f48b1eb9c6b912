package io.mechsweep.jobs.tasks.varassign;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.analysis.probes.varassign.VarAssignProbes;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.analysis.varassign.VarAssignReport;
import io.mechsweep.analysis.varassign.VarAssignSummary;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.varassign.VarAssignDataset;
import io.mechsweep.datagen.varassign.VarAssignRules;
import io.mechsweep.datagen.varassign.VarAssignSpec;
import io.mechsweep.jobs.config.Fields;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.NormPlacement;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Study 2, varassign (Exoo, Bietti, Sous): variable assignment + modular addition. Training data
 * is generated fresh every step from the pure (seed, index) generator; the dataset on disk holds
 * the evaluation pools. Its views are {@code varassign_pools} and {@code varassign_phases}.
 */
public record VarAssignTask(VarAssignSpec spec) implements Task {

  /** The registry entry: parses {@code task:} and names varassign's views and report. */
  public static final class Kind implements TaskKind {
    @Override
    public String name() {
      return VarAssignDataset.TASK;
    }

    @Override
    public Task parse(JsonNode task, JsonNode evaluation, Fields f) {
      f.onlyKeys(task, "task", Set.of("name", "seed", "train_pair_fraction", "pool_size"));
      long seed = f.longValue(task, "task.seed", 0L);
      double fraction = f.number(task, "task.train_pair_fraction", VarAssignSpec.PAPER_TRAIN_PAIR_FRACTION,
          1.0 / VarAssignRules.NUMBER_PAIRS, 1, false);
      if (fraction >= 1) {
        f.problem("task.train_pair_fraction", fraction, "below 1 (some number pairs must stay held out)");
        fraction = VarAssignSpec.PAPER_TRAIN_PAIR_FRACTION;
      }
      int poolSize = f.intIn(task, "task.pool_size", VarAssignSpec.PAPER_POOL_SIZE, 1, VarAssignSpec.MAX_POOL_SIZE);
      return new VarAssignTask(new VarAssignSpec(seed, fraction, poolSize));
    }

    /** No LayerNorm, causal, the first block's MLP removed, no output bias. */
    @Override
    public Wiring wiring() {
      return new Wiring(NormPlacement.NONE, true, Set.of(0), false);
    }

    /** The paper's σ = 0.8/√d_model for every matrix, unless the config gives γ. */
    @Override
    public Optional<InitScheme> defaultInit(int dModel) {
      return Optional.of(new InitScheme.FixedStd(0.8 / Math.sqrt(Math.max(1, dModel))));
    }

    @Override
    public List<String> views() {
      return VarAssignSummary.VIEWS;
    }

    @Override
    public TaskReport report() {
      return new VarAssignReport();
    }
  }

  @Override
  public TaskKind kind() {
    return new Kind();
  }

  @Override
  public String datasetId() {
    return new VarAssignDataset(spec).datasetId();
  }

  @Override
  public long datasetRows() {
    return new VarAssignDataset(spec).rowCount();
  }

  @Override
  public int vocabSize() {
    return VarAssignRules.VOCAB_SIZE;
  }

  @Override
  public int classes() {
    return VarAssignRules.CLASSES;
  }

  @Override
  public int seqLen() {
    return VarAssignRules.SEQ_LEN;
  }

  @Override
  public DatasetWriter.Result generate(SparkSession spark, String dir, int partitions) throws IOException {
    return new VarAssignDataset(spec).write(spark, dir, partitions);
  }

  @Override
  public Inputs load(SparkSession spark, String dir, int maxEvalRows, int probeRowsPerSet) throws IOException {
    VarAssignDataset.Pools pools = VarAssignDataset.readPools(spark, dir);
    return new Inputs(pools.taskData(maxEvalRows), VarAssignProbes.of(pools.probeSequences(probeRowsPerSet)));
  }

  @Override
  public TaskData generateInMemory(int maxEvalRows) {
    return new VarAssignDataset(spec).generateInMemory().taskData(maxEvalRows);
  }

  /** Final accuracy per pool and the phase steps, read from the varassign views. */
  @Override
  public String summary(String study, List<RunResult> runs, Views views) {
    return VarAssignSummary.format(views, study);
  }
}
