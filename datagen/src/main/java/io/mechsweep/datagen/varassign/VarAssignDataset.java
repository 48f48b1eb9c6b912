package io.mechsweep.datagen.varassign;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetReader;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.RowSource;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The varassign dataset on disk: every evaluation pool's sequences, one split per pool (split =
 * pool label), rows laid out pool after pool. Training data is not stored: it is sampled fresh
 * each step by {@link VarAssignTrainSource}. The metadata's spec also records the partition
 * (which number pairs training saw), so the dataset says what "held out" meant.
 */
public final class VarAssignDataset implements RowSource {
  public static final String TASK = "varassign";
  /** Key of the partition's description in the metadata's spec map. */
  public static final String SPEC_PARTITION = "partition";

  public static final StructType SCHEMA =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("type", DataTypes.IntegerType, false)
          .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("label", DataTypes.IntegerType, false)
          .add("n1", DataTypes.IntegerType, false)
          .add("n2", DataTypes.IntegerType, false)
          .add("left_var", DataTypes.IntegerType, false)
          .add("right_var", DataTypes.IntegerType, false)
          .add("left_value_pos", DataTypes.IntegerType, false)
          .add("right_value_pos", DataTypes.IntegerType, false)
          .add("split", DataTypes.StringType, false);

  private final VarAssignGenerator generator;

  public VarAssignDataset(VarAssignSpec spec) {
    this.generator = new VarAssignGenerator(spec);
  }

  public VarAssignSpec spec() {
    return generator.spec();
  }

  public VarAssignGenerator generator() {
    return generator;
  }

  public String datasetId() {
    return DatasetMetadata.idOf(TASK, spec());
  }

  @Override
  public long rowCount() {
    return generator.totalPoolRows();
  }

  @Override
  public StructType schema() {
    return SCHEMA;
  }

  @Override
  public Row row(long index) {
    VarAssignExample e = generator.datasetRow(index);
    Integer[] tokens = new Integer[e.tokens().length];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = e.tokens()[i];
    }
    return RowFactory.create(
        e.row(), e.type(), tokens, e.label(), e.n1(), e.n2(), e.leftVar(), e.rightVar(),
        e.leftValuePos(), e.rightValuePos(), e.pool());
  }

  /** The spec as written in the metadata: its fields plus the partition's description. */
  public Map<String, Object> metadataSpec() {
    Map<String, Object> out = new TreeMap<>(DatasetMetadata.asMap(spec()));
    out.put(SPEC_PARTITION, generator.partition().describe());
    return out;
  }

  public DatasetWriter.Result write(SparkSession spark, String dir, int partitions)
      throws IOException {
    return DatasetWriter.write(
        spark, this, TASK, datasetId(), spec().seed(), metadataSpec(), dir, partitions);
  }

  /**
   * A dataset's pools as sequences, by pool label in {@link VarAssignPool} order: what the
   * evaluation sets and probe sets are built from.
   */
  public record Pools(
      String datasetId, VarAssignSpec spec, Map<String, List<VarAssignExample>> byPool)
      implements Serializable {

    public Pools {
      byPool = Collections.unmodifiableMap(new LinkedHashMap<>(byPool));
    }

    public List<VarAssignExample> pool(VarAssignPool pool) {
      return byPool.getOrDefault(pool.label(), List.of());
    }

    /**
     * Training source and one evaluation set per pool (name = pool label, one group "all", no
     * alternative targets, no deviation histogram).
     *
     * @param maxEvalRows cap per evaluation set (spread evenly over the rows; deterministic)
     */
    public TaskData taskData(int maxEvalRows) {
      List<EvalSet> evals = new ArrayList<>();
      for (Map.Entry<String, List<VarAssignExample>> e : byPool.entrySet()) {
        List<VarAssignExample> kept = spread(e.getValue(), maxEvalRows);
        evals.add(EvalSet.ungrouped(e.getKey(), table(kept)));
      }
      return new TaskData(
          TASK, datasetId, VarAssignRules.VOCAB_SIZE, VarAssignRules.CLASSES,
          new VarAssignTrainSource(spec), List.copyOf(evals));
    }

    /** Every pool's sequences, each spread over at most {@code maxRows} rows like the eval sets. */
    public Map<String, List<VarAssignExample>> probeSequences(int maxRows) {
      Map<String, List<VarAssignExample>> out = new LinkedHashMap<>();
      byPool.forEach((label, rows) -> out.put(label, spread(rows, maxRows)));
      return out;
    }
  }

  /**
   * Reads a generated dataset's pools; refused when the dataset is incomplete or damaged, or
   * was generated under a different partition rule than this code draws from its spec.
   */
  public static Pools readPools(SparkSession spark, String dir) throws IOException {
    DatasetMetadata metadata = DatasetReader.requireComplete(spark, dir);
    if (!TASK.equals(metadata.task())) {
      throw new io.mechsweep.datagen.BadInputException(
          "dataset at " + dir + " is a '" + metadata.task() + "' dataset, not " + TASK);
    }
    VarAssignSpec spec = specOf(metadata, dir);
    VarAssignDataset dataset = new VarAssignDataset(spec);
    if (!dataset.datasetId().equals(metadata.datasetId())) {
      throw new io.mechsweep.datagen.BadInputException(
          "dataset at " + dir + " has id " + metadata.datasetId() + " but its spec hashes to "
              + dataset.datasetId());
    }
    Object stored = metadata.spec().get(SPEC_PARTITION);
    // Compared after the same JSON conversion the written metadata went through.
    Object expected =
        DatasetMetadata.asMap(Map.of(SPEC_PARTITION, dataset.generator.partition().describe()))
            .get(SPEC_PARTITION);
    if (!expected.equals(stored)) {
      throw new io.mechsweep.datagen.BadInputException(
          "dataset at " + dir + " records a different partition than seed " + spec.seed()
              + " draws now: it was generated by other code; generate it again");
    }
    // One ordered read for all pools (ten per-split reads cost several times more), with
    // DatasetReader.readSplit's row-count check per split.
    Map<String, List<Row>> rowsBySplit = new LinkedHashMap<>();
    for (Row r : spark.read().parquet(dir).orderBy("row").collectAsList()) {
      String split = r.getString(r.fieldIndex("split"));
      rowsBySplit.computeIfAbsent(split, k -> new ArrayList<>()).add(r);
    }
    Map<String, List<VarAssignExample>> byPool = new LinkedHashMap<>();
    for (VarAssignPool pool : VarAssignPool.values()) {
      String split = pool.label();
      Long recorded = metadata.splitRows().get(split);
      if (recorded == null || recorded != pool.size(spec)) {
        throw new io.mechsweep.datagen.BadInputException(
            "dataset at " + dir + " has " + recorded + " rows in split '" + split
                + "' but the spec gives " + pool.size(spec) + ": generated by other code");
      }
      List<Row> rows = rowsBySplit.getOrDefault(split, List.of());
      if (rows.size() != recorded) {
        throw new io.mechsweep.datagen.BadInputException(
            "dataset at " + dir + " split '" + split + "' has " + rows.size()
                + " rows but its metadata says " + recorded + ": files are missing or corrupt");
      }
      byPool.put(split, examples(rows));
    }
    return new Pools(metadata.datasetId(), spec, byPool);
  }

  /** The training source and evaluation sets of a generated dataset; see {@link Pools#taskData}. */
  public static TaskData load(SparkSession spark, String dir, int maxEvalRows) throws IOException {
    return readPools(spark, dir).taskData(maxEvalRows);
  }

  /** The same pools generated in memory, without Spark (tests, benchmarks). */
  public Pools generateInMemory() {
    Map<String, List<VarAssignExample>> byPool = new LinkedHashMap<>();
    for (VarAssignPool pool : VarAssignPool.values()) {
      int size = (int) pool.size(spec());
      List<VarAssignExample> rows = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        rows.add(generator.poolExample(pool, i));
      }
      byPool.put(pool.label(), rows);
    }
    return new Pools(datasetId(), spec(), byPool);
  }

  private static VarAssignSpec specOf(DatasetMetadata metadata, String dir) throws IOException {
    Map<String, Object> s = metadata.spec();
    try {
      return new VarAssignSpec(
          ((Number) s.get("seed")).longValue(),
          ((Number) s.get("trainPairFraction")).doubleValue(),
          ((Number) s.get("poolSize")).intValue());
    } catch (RuntimeException e) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has an unreadable varassign spec " + s, e);
    }
  }

  /** Parquet rows back to examples (the columns of {@link #SCHEMA}). */
  private static List<VarAssignExample> examples(List<Row> rows) {
    List<VarAssignExample> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      List<Integer> seq = r.getList(r.fieldIndex("tokens"));
      out.add(
          new VarAssignExample(
              r.getLong(r.fieldIndex("row")),
              r.getInt(r.fieldIndex("type")),
              seq.stream().mapToInt(Integer::intValue).toArray(),
              r.getInt(r.fieldIndex("label")),
              r.getInt(r.fieldIndex("n1")),
              r.getInt(r.fieldIndex("n2")),
              r.getInt(r.fieldIndex("left_var")),
              r.getInt(r.fieldIndex("right_var")),
              r.getInt(r.fieldIndex("left_value_pos")),
              r.getInt(r.fieldIndex("right_value_pos")),
              r.getString(r.fieldIndex("split"))));
    }
    return out;
  }

  /** Every k-th row, so a capped sample still covers an exhaustive pool's pairs evenly. */
  static List<VarAssignExample> spread(List<VarAssignExample> rows, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max rows must be ≥ 0, got " + max);
    }
    if (rows.size() <= max) {
      return rows;
    }
    List<VarAssignExample> out = new ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / max)));
    }
    return out;
  }

  static TokenTable table(List<VarAssignExample> rows) {
    int len = VarAssignRules.SEQ_LEN;
    int[] tokens = new int[rows.size() * len];
    int[] labels = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).tokens(), 0, tokens, i * len, len);
      labels[i] = rows.get(i).label();
    }
    return new TokenTable(len, tokens, labels);
  }
}
