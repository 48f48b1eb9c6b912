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

  /**
   * A dataset's chains by split, what training, evaluation and probes are built from.
   *
   * @param tests the test chains of every test length, {@code chainLength} first
   */
  public record Chains(String datasetId, LegoSpec spec, List<LegoChain> train, Map<Integer, List<LegoChain>> tests)
      implements Serializable {

    /** The test chains of {@code chainLength}. */
    public List<LegoChain> test() {
      return tests.get(spec.chainLength());
    }

    /** {@link #taskData(int, LegoCurriculum)} on the fixed training set. */
    public TaskData taskData(int maxEvalRows) {
      return taskData(maxEvalRows, null);
    }

    /**
     * Training data in both clause orders, and the evaluation sets: {@code test_shuffled} and
     * {@code test_sorted} (the same chains) at {@code chainLength}, and {@code test_shuffled_n<L>}
     * for every further test length L; each read at every chain position.
     *
     * @param fresh the curriculum of chains drawn fresh every step, or null for the fixed training set
     */
    public TaskData taskData(int maxEvalRows, LegoCurriculum fresh) {
      int seqLen = spec.seqLen();
      List<EvalSet> evals = new ArrayList<>();
      for (LegoOrder order : LegoOrder.values()) {
        evals.add(EvalSet.ungrouped(evalSetName(order), evalTable(test(), maxEvalRows, order, seqLen)));
      }
      for (int n : spec.allTestLengths()) {
        if (n != spec.chainLength()) {
          evals.add(EvalSet.ungrouped(evalSetName(LegoOrder.SHUFFLED, n),
              evalTable(tests.get(n), maxEvalRows, LegoOrder.SHUFFLED, seqLen)));
        }
      }
      LegoTrainSource source;
      if (fresh == null) {
        int reads = spec.longestTrainingChain();
        source = new LegoTrainSource(
            new FixedTrainSet(table(train, LegoOrder.SHUFFLED, spec.supervised(), seqLen, reads)),
            new FixedTrainSet(table(train, LegoOrder.SORTED, spec.supervised(), seqLen, reads)));
      } else {
        source = new LegoTrainSource(
            new LegoFreshSource(spec, fresh, LegoOrder.SHUFFLED, seqLen, fresh.longest()),
            new LegoFreshSource(spec, fresh, LegoOrder.SORTED, seqLen, fresh.longest()));
      }
      return new TaskData(TASK, datasetId, LegoRules.VOCAB_SIZE, LegoRules.CLASSES, source, List.copyOf(evals));
    }

    private TokenTable evalTable(List<LegoChain> chains, int maxRows, LegoOrder order, int seqLen) {
      List<LegoChain> rows = chains.subList(0, Math.min(maxRows, chains.size()));
      return table(rows, order, spec.supervised(), seqLen, rows.get(0).length());
    }

    /** The first {@code rows} test chains: the sequences probes read. */
    public List<LegoChain> probeChains(int rows) {
      return test().subList(0, Math.min(rows, test().size()));
    }
  }

  public static String evalSetName(LegoOrder order) {
    return "test_" + order.label();
  }

  /** The evaluation set of test chains of a further length: {@code test_shuffled_n8}. */
  public static String evalSetName(LegoOrder order, int length) {
    return evalSetName(order) + "_n" + length;
  }

  /** Chains of one length, unpadded: {@link #table(List, LegoOrder, int, int, int)} at their own size. */
  public static TokenTable table(List<LegoChain> chains, LegoOrder order, int supervised) {
    int n = chains.isEmpty() ? 1 : chains.get(0).length();
    return table(chains, order, supervised, LegoRules.seqLen(n), n);
  }

  /**
   * Chains as a token table of {@code seqLen} tokens per row (PAD after a shorter chain's
   * [SEP]): every chain position read at its clause's left-hand name, the loss mask covering
   * positions 1..min(supervised, the row's length). A row shorter than {@code reads} pads its
   * reads (target −1: neither loss nor score).
   */
  public static TokenTable table(List<LegoChain> chains, LegoOrder order, int supervised, int seqLen, int reads) {
    int[] tokens = new int[chains.size() * seqLen];
    int[] targets = new int[chains.size() * reads];
    int[] positions = new int[chains.size() * reads];
    float[] mask = new float[chains.size() * reads];
    java.util.Arrays.fill(targets, -1);
    for (int i = 0; i < chains.size(); i++) {
      LegoChain c = chains.get(i);
      int n = c.length();
      if (n > reads) {
        throw new IllegalArgumentException("a chain of " + n + " in a table of " + reads + " reads");
      }
      System.arraycopy(c.tokens(order, seqLen), 0, tokens, i * seqLen, seqLen);
      System.arraycopy(c.values(), 0, targets, i * reads, n);
      System.arraycopy(c.readPositions(order), 0, positions, i * reads, n);
      for (int k = 0; k < Math.min(supervised, n); k++) {
        mask[i * reads + k] = 1f;
      }
    }
    return new TokenTable(seqLen, reads, tokens, targets, positions, mask);
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
    Map<Integer, List<LegoChain>> tests = new java.util.LinkedHashMap<>();
    for (int n : spec.allTestLengths()) {
      tests.put(n, chains(DatasetReader.readSplit(spark, dir, metadata, spec.testSplit(n))));
    }
    return new Chains(metadata.datasetId(), spec, train, tests);
  }

  /** The same chains generated in memory, without Spark (tests, benchmarks). */
  public Chains generateInMemory() {
    List<LegoChain> train = new ArrayList<>(spec().trainRows());
    for (int i = 0; i < spec().trainRows(); i++) {
      train.add(generator.chain(LegoGenerator.TRAIN, i));
    }
    Map<Integer, List<LegoChain>> tests = new java.util.LinkedHashMap<>();
    for (int n : spec().allTestLengths()) {
      List<LegoChain> test = new ArrayList<>(spec().testRows());
      for (int i = 0; i < spec().testRows(); i++) {
        test.add(generator.chain(spec().testSplit(n), i));
      }
      tests.put(n, test);
    }
    return new Chains(datasetId(), spec(), train, tests);
  }

  private static LegoSpec specOf(DatasetMetadata metadata, String dir) throws IOException {
    Map<String, Object> s = metadata.spec();
    try {
      return new LegoSpec(
          ((Number) s.get("seed")).longValue(), ((Number) s.get("chainLength")).intValue(),
          ((Number) s.get("supervised")).intValue(), ((Number) s.get("trainRows")).intValue(),
          ((Number) s.get("testRows")).intValue(), lengths(s.get("trainLengths")), lengths(s.get("testLengths")));
    } catch (RuntimeException e) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has an unreadable lego spec " + s, e);
    }
  }

  private static List<Integer> lengths(Object list) {
    return list == null ? null : ((List<?>) list).stream().map(n -> ((Number) n).intValue()).toList();
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
