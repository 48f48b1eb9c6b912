package io.mechsweep.jobs.tasks.lego;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.analysis.lego.LegoReport;
import io.mechsweep.analysis.lego.LegoSummary;
import io.mechsweep.analysis.probes.lego.LegoProbes;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.lego.LegoDataset;
import io.mechsweep.datagen.lego.LegoOrder;
import io.mechsweep.datagen.lego.LegoRules;
import io.mechsweep.datagen.lego.LegoSpec;
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
 * Study 3, lego (Zhang et al.): following shuffled chains of Z2 assignments. A bidirectional
 * encoder reads every chain variable at its clause's left-hand name; the loss covers the first
 * {@code task.supervised} positions. {@code task.train_order} (shuffled, sorted) is a grid axis,
 * the shortcut control; every run is evaluated on both orders. Chain lengths may mix in training,
 * grow on a curriculum and differ in testing ({@link LegoLengthsConfig}).
 *
 * @param trainOrders the clause orders runs train on, one grid value each
 * @param lengths the chain-length protocol; its fresh source and curriculum are hashed into run ids
 */
public record LegoTask(LegoSpec spec, List<LegoOrder> trainOrders, LegoLengthsConfig lengths) implements Task {

  /** The registry entry: parses {@code task:} and names lego's views and report. */
  public static final class Kind implements TaskKind {
    @Override
    public String name() {
      return LegoDataset.TASK;
    }

    @Override
    public Task parse(JsonNode task, JsonNode evaluation, Fields f) {
      Set<String> keys = new java.util.HashSet<>(Set.of("name", "seed", "chain_length", "supervised", "train_rows",
          "test_rows", "train_order"));
      keys.addAll(LegoLengthsConfig.KEYS);
      f.onlyKeys(task, "task", keys);
      long seed = f.longValue(task, "task.seed", 0L);
      int n = f.intIn(task, "task.chain_length", LegoSpec.PAPER_CHAIN_LENGTH, 2, LegoRules.MAX_CHAIN_LENGTH);
      int supervised = f.intIn(task, "task.supervised", Math.min(n, LegoSpec.PAPER_SUPERVISED), 1, LegoRules.MAX_CHAIN_LENGTH);
      LegoLengthsConfig lengths = LegoLengthsConfig.parse(task, f, n);
      int longestTrain = LegoSpec.longestTraining(lengths.trainLengths(), n);
      if (supervised > longestTrain) {
        f.problem("task.supervised", supervised, "1.." + longestTrain + ", the longest training chain");
        supervised = longestTrain;
      }
      int train = f.intIn(task, "task.train_rows", LegoSpec.PAPER_TRAIN_ROWS, 1, LegoSpec.MAX_ROWS);
      int test = f.intIn(task, "task.test_rows", LegoSpec.PAPER_TEST_ROWS, 1, LegoSpec.MAX_ROWS);
      List<LegoOrder> orders = f.choices(task, "task.train_order", LegoOrder.class, List.of(LegoOrder.SHUFFLED));
      if (orders.size() != orders.stream().distinct().count()) {
        f.problem("task.train_order", orders, "distinct clause orders");
      }
      return new LegoTask(new LegoSpec(seed, n, supervised, train, test, lengths.trainLengths(), lengths.testLengths()),
          List.copyOf(orders), lengths);
    }

    /** BERT-style: pre-LN encoder (bidirectional), an MLP in every block, a head with bias. */
    @Override
    public Wiring wiring() {
      return new Wiring(NormPlacement.PRE, false, Set.of(), true);
    }

    /** BERT's initializer range, σ = 0.02 for every matrix, unless the config gives γ or σ. */
    @Override
    public Optional<InitScheme> defaultInit(int dModel) {
      return Optional.of(new InitScheme.FixedStd(0.02));
    }

    @Override
    public List<String> views() {
      return LegoSummary.VIEWS;
    }

    @Override
    public TaskReport report() {
      return new LegoReport();
    }
  }

  @Override
  public TaskKind kind() {
    return new Kind();
  }

  @Override
  public String datasetId() {
    return new LegoDataset(spec).datasetId();
  }

  @Override
  public long datasetRows() {
    return new LegoDataset(spec).rowCount();
  }

  @Override
  public int vocabSize() {
    return LegoRules.VOCAB_SIZE;
  }

  @Override
  public int classes() {
    return LegoRules.CLASSES;
  }

  @Override
  public int seqLen() {
    return spec.seqLen();
  }

  @Override
  public List<String> dataVariants() {
    return trainOrders.stream().map(LegoOrder::label).toList();
  }

  @Override
  public String runSettings() {
    return lengths.runSettings();
  }

  @Override
  public List<String> checkTraining(int batchSize) {
    return lengths.fresh() == null && batchSize > spec.trainRows()
        ? List.of("training.batch_size: got " + batchSize + "; allowed: at most task.train_rows (" + spec.trainRows() + ")")
        : List.of();
  }

  @Override
  public DatasetWriter.Result generate(SparkSession spark, String dir, int partitions) throws IOException {
    return new LegoDataset(spec).write(spark, dir, partitions);
  }

  @Override
  public Inputs load(SparkSession spark, String dir, int maxEvalRows, int probeRowsPerSet) throws IOException {
    LegoDataset.Chains chains = LegoDataset.read(spark, dir);
    return new Inputs(chains.taskData(maxEvalRows, lengths.fresh()),
        LegoProbes.of(chains.probeChains(probeRowsPerSet), spec.seqLen()));
  }

  @Override
  public TaskData generateInMemory(int maxEvalRows) {
    return new LegoDataset(spec).generateInMemory().taskData(maxEvalRows, lengths.fresh());
  }

  /** Accuracy per variant and chain position, read from the lego views. */
  @Override
  public String summary(String study, List<RunResult> runs, Views views) {
    return LegoSummary.format(views, study);
  }
}
