package io.mechsweep.datagen.lego;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetReader;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.IntColumns;
import io.mechsweep.datagen.FixedTrainSet;
import io.mechsweep.datagen.RowSource;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The LEGO dataset on disk: training then test chains in canonical form (names, root value,
 * operations, clause order), plus the shuffled sequence as tokens and the values for SQL.
 * Either clause order is rendered from a chain in memory ({@link LegoChain#tokens}).
 */
public final class LegoDataset implements RowSource {
  public static final String TASK = "lego";

  private static final StructType SCHEMA =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("names", ints(), false)
          .add("root_value", DataTypes.IntegerType, false)
          .add("ops", ints(), false)
          .add("clause_order", ints(), false)
          .add("tokens", ints(), false)
          .add("values", ints(), false)
          .add("split", DataTypes.StringType, false);

  private final LegoGenerator generator;

  public LegoDataset(LegoSpec spec) {
    this.generator = new LegoGenerator(spec);
  }

  public LegoSpec spec() {
    return generator.spec();
  }

  public String datasetId() {
    return DatasetMetadata.idOf(TASK, spec());
  }

  @Override
  public long rowCount() {
    return generator.rowCount();
  }

  @Override
  public StructType schema() {
    return SCHEMA;
  }

  @Override
  public Row row(long index) {
    LegoChain c = generator.datasetRow(index);
    return RowFactory.create(
        c.row(), IntColumns.boxed(c.names()), c.rootValue(), IntColumns.boxed(c.ops()),
        IntColumns.boxed(c.clauseOrder()), IntColumns.boxed(c.tokens(LegoOrder.SHUFFLED)), IntColumns.boxed(c.values()),
        c.split());
  }

  public DatasetWriter.Result write(SparkSession spark, String dir, int partitions) throws IOException {
    return DatasetWriter.write(spark, this, TASK, datasetId(), spec().seed(), spec(), dir, partitions);
  }

  /** A dataset's chains by split, what training, evaluation and probes are built from. */
  public record Chains(String datasetId, LegoSpec spec, List<LegoChain> train, List<LegoChain> test)
      implements Serializable {

    /**
     * Training set in both clause orders and two evaluation sets, {@code test_shuffled} and
     * {@code test_sorted} (the same chains), each read at every chain position.
     */
    public TaskData taskData(int maxEvalRows) {
      List<LegoChain> evalChains = test.subList(0, Math.min(maxEvalRows, test.size()));
      List<EvalSet> evals = new ArrayList<>();
      for (LegoOrder order : LegoOrder.values()) {
        evals.add(EvalSet.ungrouped(evalSetName(order), table(evalChains, order, spec.supervised())));
      }
      LegoTrainSource source = new LegoTrainSource(
          new FixedTrainSet(table(train, LegoOrder.SHUFFLED, spec.supervised())),
          new FixedTrainSet(table(train, LegoOrder.SORTED, spec.supervised())));
      return new TaskData(TASK, datasetId, LegoRules.VOCAB_SIZE, LegoRules.CLASSES, source, List.copyOf(evals));
    }

    /** The first {@code rows} test chains: the sequences probes read. */
    public List<LegoChain> probeChains(int rows) {
      return test.subList(0, Math.min(rows, test.size()));
    }
  }

  public static String evalSetName(LegoOrder order) {
    return "test_" + order.label();
  }

  /**
   * Chains as a token table: every chain position read at its clause's left-hand name, the loss
   * mask covering positions 1..supervised.
   */
  public static TokenTable table(List<LegoChain> chains, LegoOrder order, int supervised) {
    int n = chains.isEmpty() ? 1 : chains.get(0).length();
    int len = LegoRules.seqLen(n);
    int[] tokens = new int[chains.size() * len];
    int[] targets = new int[chains.size() * n];
    int[] positions = new int[chains.size() * n];
    float[] mask = new float[chains.size() * n];
    for (int i = 0; i < chains.size(); i++) {
      LegoChain c = chains.get(i);
      System.arraycopy(c.tokens(order), 0, tokens, i * len, len);
      System.arraycopy(c.values(), 0, targets, i * n, n);
      System.arraycopy(c.readPositions(order), 0, positions, i * n, n);
      for (int k = 0; k < supervised; k++) {
        mask[i * n + k] = 1f;
      }
    }
    return new TokenTable(len, n, tokens, targets, positions, mask);
  }

  /** Reads a generated dataset back; refused when incomplete, damaged or made by another spec. */
  public static Chains read(SparkSession spark, String dir) throws IOException {
    DatasetMetadata metadata = DatasetReader.requireComplete(spark, dir);
    if (!TASK.equals(metadata.task())) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " is a '" + metadata.task() + "' dataset, not " + TASK);
    }
    LegoSpec spec = specOf(metadata, dir);
    LegoDataset dataset = new LegoDataset(spec);
    if (!dataset.datasetId().equals(metadata.datasetId())) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has id " + metadata.datasetId() + " but its spec hashes to "
          + dataset.datasetId());
    }
    // readSplit checks each split's rows against the metadata, which the id check ties to the spec.
    List<LegoChain> train = chains(DatasetReader.readSplit(spark, dir, metadata, LegoGenerator.TRAIN));
    List<LegoChain> test = chains(DatasetReader.readSplit(spark, dir, metadata, LegoGenerator.TEST));
    return new Chains(metadata.datasetId(), spec, train, test);
  }

  /** The same chains generated in memory, without Spark (tests, benchmarks). */
  public Chains generateInMemory() {
    List<LegoChain> train = new ArrayList<>(spec().trainRows());
    for (int i = 0; i < spec().trainRows(); i++) {
      train.add(generator.chain(LegoGenerator.TRAIN, i));
    }
    List<LegoChain> test = new ArrayList<>(spec().testRows());
    for (int i = 0; i < spec().testRows(); i++) {
      test.add(generator.chain(LegoGenerator.TEST, i));
    }
    return new Chains(datasetId(), spec(), train, test);
  }

  private static LegoSpec specOf(DatasetMetadata metadata, String dir) throws IOException {
    Map<String, Object> s = metadata.spec();
    try {
      return new LegoSpec(
          ((Number) s.get("seed")).longValue(), ((Number) s.get("chainLength")).intValue(),
          ((Number) s.get("supervised")).intValue(), ((Number) s.get("trainRows")).intValue(),
          ((Number) s.get("testRows")).intValue());
    } catch (RuntimeException e) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has an unreadable lego spec " + s, e);
    }
  }

  private static List<LegoChain> chains(List<Row> rows) {
    List<LegoChain> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new LegoChain(
          r.getLong(r.fieldIndex("row")), r.getString(r.fieldIndex("split")), IntColumns.read(r, "names"),
          r.getInt(r.fieldIndex("root_value")), IntColumns.read(r, "ops"), IntColumns.read(r, "clause_order")));
    }
    return out;
  }

  private static org.apache.spark.sql.types.ArrayType ints() {
    return DataTypes.createArrayType(DataTypes.IntegerType, false);
  }
}
