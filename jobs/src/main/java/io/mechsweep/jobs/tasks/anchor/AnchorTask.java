package io.mechsweep.jobs.tasks.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.analysis.anchor.AnchorReport;
import io.mechsweep.analysis.anchor.AnchorSolution;
import io.mechsweep.analysis.anchor.AnchorSummary;
import io.mechsweep.analysis.anchor.AnchorTables;
import io.mechsweep.analysis.anchor.KeySideAccuracy;
import io.mechsweep.analysis.probes.anchor.AnchorProbes;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.jobs.config.Fields;
import io.mechsweep.jobs.plan.GridPoint;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.FixedInit;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.NormPlacement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Study 1, anchor (Zhang et al., NeurIPS 2024): does the initialization rate decide whether the
 * unseen anchor pair (4,3) is answered by reasoning or by memorizing? Its own table is
 * {@code solutions}; its views {@code anchor_phase_diagram} and {@code anchor_run_summary}.
 *
 * @param fitThreshold seen-pair held-out-key accuracy below which a run is {@code no_fit}
 * @param mappingThreshold inferential / symmetric accuracy that decides the solution type
 */
public record AnchorTask(AnchorSpec spec, double fitThreshold, double mappingThreshold, OutputBiasInit outputBiasInit)
    implements Task {

  /**
   * How the output layer's bias starts: at 0 (every anchor study before the paper-scale one), or
   * as PyTorch's nn.Linear default, U(±1/√d_model), as the paper's public code leaves it.
   */
  public enum OutputBiasInit {
    ZERO, TORCH_DEFAULT
  }


  /** The registry entry: parses {@code task:} and names anchor's tables, views and report. */
  public static final class Kind implements TaskKind {
    @Override
    public String name() {
      return AnchorDataset.TASK;
    }

    @Override
    public Task parse(JsonNode task, JsonNode evaluation, Fields f) {
      f.onlyKeys(task, "task", Set.of("name", "seed", "train_keys_per_pair", "heldout_keys_per_pair", "key_modulus",
          "hold_out_swapped_pair", "output_bias_init"));
      long seed = f.longValue(task, "task.seed", 0L);
      int train = f.intIn(task, "task.train_keys_per_pair", AnchorSpec.PAPER_TRAIN_KEYS_PER_PAIR, 1, 10_000_000);
      int heldOut = f.intIn(task, "task.heldout_keys_per_pair", AnchorSpec.PAPER_HELD_OUT_KEYS_PER_PAIR, 1, 10_000_000);
      int modulus = f.intIn(task, "task.key_modulus", AnchorSpec.PUBLIC_CODE_KEY_MODULUS, 7, 80);
      boolean both = f.bool(task, "task.hold_out_swapped_pair", false);
      double fit = f.number(evaluation, "evaluation.fit_threshold", 0.9, 0, 1, false);
      double mapping = f.number(evaluation, "evaluation.mapping_threshold", 0.5, 0, 1, false);
      OutputBiasInit bias = f.choice(task, "task.output_bias_init", OutputBiasInit.class, OutputBiasInit.ZERO);
      return new AnchorTask(new AnchorSpec(seed, train, heldOut, modulus, both), fit, mapping, bias);
    }

    @Override
    public Set<String> evaluationKeys() {
      return Set.of("fit_threshold", "mapping_threshold");
    }

    /** GPT-style: post-LayerNorm, causal, MLP in every block, output layer with bias. */
    @Override
    public Wiring wiring() {
      return new Wiring(NormPlacement.POST, true, Set.of(), true);
    }

    @Override
    public List<Tables.Table> tables() {
      return List.of(AnchorTables.SOLUTIONS);
    }

    @Override
    public List<String> views() {
      return AnchorTables.VIEWS;
    }

    @Override
    public TaskReport report() {
      return new AnchorReport();
    }
  }

  @Override
  public TaskKind kind() {
    return new Kind();
  }

  @Override
  public String datasetId() {
    return new AnchorDataset(spec).datasetId();
  }

  @Override
  public long datasetRows() {
    return spec.totalRows();
  }

  @Override
  public int vocabSize() {
    return AnchorRules.VOCAB_SIZE;
  }

  @Override
  public int classes() {
    return AnchorRules.VOCAB_SIZE;
  }

  @Override
  public int seqLen() {
    return AnchorRules.SEQ_LEN;
  }

  /** The output bias drawn as PyTorch draws it when the config says so; otherwise the planned model. */
  @Override
  public ModelConfig model(ModelConfig planned, String variant) {
    return outputBiasInit == OutputBiasInit.TORCH_DEFAULT
        ? planned.withFixedInit(Names.UNEMBED_BIAS, new FixedInit.Uniform(1 / Math.sqrt(planned.dModel())))
        : planned;
  }

  /** The output bias's start changes training, so a non-default one is part of every run id. */
  @Override
  public String runSettings() {
    return outputBiasInit == OutputBiasInit.ZERO ? null
        : "output_bias_init=" + outputBiasInit.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public List<String> checkTraining(int batchSize) {
    long trainRows = (long) spec.trainKeysPerPair() * (AnchorRules.PAIR_COUNT - spec.unseenPairs().size());
    return batchSize > trainRows
        ? List.of("training.batch_size: got " + batchSize + "; allowed: at most the " + trainRows
            + " training sequences the task section generates")
        : List.of();
  }

  @Override
  public DatasetWriter.Result generate(SparkSession spark, String dir, int partitions) throws IOException {
    return new AnchorDataset(spec).write(spark, dir, partitions);
  }

  @Override
  public Inputs load(SparkSession spark, String dir, int maxEvalRows, int probeRowsPerSet) throws IOException {
    AnchorDataset.Splits splits = AnchorDataset.readSplits(spark, dir); // once for training and probes
    return new Inputs(splits.taskData(maxEvalRows), AnchorProbes.of(splits, probeRowsPerSet));
  }

  @Override
  public TaskData generateInMemory(int maxEvalRows) {
    return new AnchorDataset(spec).generateInMemory(maxEvalRows);
  }

  /** A solution row per evaluation step of every finished run. */
  @Override
  public Map<Tables.Table, List<Row>> tableRows(List<RunResult> runs) {
    List<Row> solutions = new ArrayList<>();
    for (RunResult run : runs) {
      for (AnchorSolution s : solutions(run.outcome())) {
        solutions.add(AnchorTables.solution(s, s.step() == run.outcome().finalStep()));
      }
    }
    return Map.of(AnchorTables.SOLUTIONS, solutions);
  }

  /** The γ × depth table of final solution types. */
  @Override
  public String summary(String study, List<RunResult> runs, Views views) {
    List<AnchorSummary.RunResult> summary = new ArrayList<>();
    for (RunResult run : runs) {
      List<AnchorSolution> all = solutions(run.outcome());
      AnchorSolution last = all.isEmpty() ? null : all.get(all.size() - 1);
      GridPoint p = run.spec().point();
      summary.add(new AnchorSummary.RunResult(p.depth(), p.gamma() == null ? Double.NaN : p.gamma(), p.peakLr(),
          p.weightDecay(), p.seed(), run.outcome().status(), run.outcome().reason(), last,
          last == null ? null : KeySideAccuracy.at(run.outcome().evals(), last.step())));
    }
    return AnchorSummary.format(study, summary);
  }

  /** A finished run's solution at each evaluation step, in step order (none for a failed run). */
  private List<AnchorSolution> solutions(RunOutcome o) {
    List<AnchorSolution> out = new ArrayList<>();
    if (o.finished()) {
      for (int step : new TreeSet<>(o.evals().stream().map(EvalRow::step).toList())) {
        out.add(AnchorSolution.classify(o.runId(), step, o.evals(), fitThreshold, mappingThreshold));
      }
    }
    return out;
  }
}
