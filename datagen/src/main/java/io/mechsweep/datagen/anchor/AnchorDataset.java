package io.mechsweep.datagen.anchor;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetReader;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.FixedTrainSet;
import io.mechsweep.datagen.RowSource;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The anchor dataset on disk: its Parquet schema, its generation job and its evaluation sets. */
public final class AnchorDataset implements RowSource {
  public static final String TASK = "anchor";
  public static final String EVAL_SEEN_HELD_OUT_KEYS = "seen_heldout_keys";
  public static final String EVAL_SWAPPED_HELD_OUT_KEYS = "swapped_heldout_keys";
  public static final String EVAL_UNSEEN_PAIR = "unseen_pair";
  /** The unseen pair on training-split keys: what the public code scores (its {@code 43_xel}). */
  public static final String EVAL_UNSEEN_PAIR_TRAIN_KEYS = "unseen_pair_train_keys";
  public static final String EVAL_UNSEEN_PAIR_HELD_OUT_KEYS = "unseen_pair_heldout_keys";
  public static final String EVAL_TRAIN_SAMPLE = "train_sample";
  public static final String ALT_SYMMETRIC = "symmetric";

  public static final StructType SCHEMA =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("a1", DataTypes.IntegerType, false)
          .add("a2", DataTypes.IntegerType, false)
          .add("key", DataTypes.IntegerType, false)
          .add("key_pos", DataTypes.IntegerType, false)
          .add("heldout_key", DataTypes.BooleanType, false)
          .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("target", DataTypes.IntegerType, false)
          .add("inferential_target", DataTypes.IntegerType, false)
          .add("symmetric_target", DataTypes.IntegerType, false)
          .add("split", DataTypes.StringType, false);

  private final AnchorGenerator generator;

  public AnchorDataset(AnchorSpec spec) {
    this.generator = new AnchorGenerator(spec);
  }

  public AnchorSpec spec() {
    return generator.spec();
  }

  public String datasetId() {
    return DatasetMetadata.idOf(TASK, spec());
  }

  @Override
  public long rowCount() {
    return spec().totalRows();
  }

  @Override
  public StructType schema() {
    return SCHEMA;
  }

  @Override
  public Row row(long index) {
    AnchorSequence s = generator.row(index);
    Integer[] tokens = new Integer[s.tokens().length];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = s.tokens()[i];
    }
    return RowFactory.create(
        s.row(), s.pair().a1(), s.pair().a2(), s.key(), s.keyPosition(), s.heldOutKey(),
        tokens, s.target(), s.inferentialTarget(), s.symmetricTarget(), s.split());
  }

  public DatasetWriter.Result write(SparkSession spark, String dir, int partitions)
      throws IOException {
    return DatasetWriter.write(
        spark, this, TASK, datasetId(), spec().seed(), spec(), dir, partitions);
  }

  /** A dataset's three splits as sequences: what training data and probe sets are built from. */
  public record Splits(
      String datasetId, List<AnchorSequence> train, List<AnchorSequence> heldOut, List<AnchorSequence> unseen) {

    /** Held-out-key sequences of the pairs trained inferentially, i.e. without (3,4). */
    public List<AnchorSequence> seenHeldOut() {
      return filter(heldOut, s -> !s.pair().equals(AnchorRules.SWAPPED_TRAINED));
    }

    /**
     * The training split and the evaluation sets.
     *
     * @param maxEvalRows cap per evaluation set (spread evenly over the rows; deterministic)
     */
    public TaskData taskData(int maxEvalRows) {
      List<EvalSet> evals = new ArrayList<>();
      evals.add(evalSet(EVAL_SEEN_HELD_OUT_KEYS, seenHeldOut(), maxEvalRows, false));
      List<AnchorSequence> swappedRows = filter(heldOut, s -> s.pair().equals(AnchorRules.SWAPPED_TRAINED));
      if (!swappedRows.isEmpty()) {
        evals.add(evalSet(EVAL_SWAPPED_HELD_OUT_KEYS, swappedRows, maxEvalRows, false));
      }
      evals.add(evalSet(EVAL_UNSEEN_PAIR, unseen, maxEvalRows, true));
      // The same pair by key side: the public code scores it on training-split keys, the paper's
      // text on held-out ones; the solution type is read from unseen_pair (both).
      for (boolean heldOutKeys : new boolean[] {false, true}) {
        List<AnchorSequence> side = filter(unseen, s -> s.heldOutKey() == heldOutKeys);
        if (!side.isEmpty()) {
          evals.add(evalSet(heldOutKeys ? EVAL_UNSEEN_PAIR_HELD_OUT_KEYS : EVAL_UNSEEN_PAIR_TRAIN_KEYS, side,
              maxEvalRows, true));
        }
      }
      evals.add(evalSet(EVAL_TRAIN_SAMPLE, train, maxEvalRows, false));
      return new TaskData(TASK, datasetId, AnchorRules.VOCAB_SIZE, AnchorRules.VOCAB_SIZE,
          new FixedTrainSet(table(train)), List.copyOf(evals));
    }

    /**
     * The sequences probes run on, by evaluation-set name: the seen pairs with held-out keys and
     * the unseen pair, each spread over at most {@code maxRows} rows like the evaluation sets.
     */
    public Map<String, List<AnchorSequence>> probeSequences(int maxRows) {
      Map<String, List<AnchorSequence>> out = new LinkedHashMap<>();
      out.put(EVAL_SEEN_HELD_OUT_KEYS, spread(seenHeldOut(), maxRows));
      out.put(EVAL_UNSEEN_PAIR, spread(unseen, maxRows));
      return out;
    }
  }

  /** Reads a generated dataset's splits (refused when the dataset is incomplete). */
  public static Splits readSplits(SparkSession spark, String dir) throws IOException {
    DatasetMetadata metadata = DatasetReader.requireComplete(spark, dir);
    return new Splits(
        metadata.datasetId(),
        sequences(DatasetReader.readSplit(spark, dir, metadata, AnchorGenerator.SPLIT_TRAIN)),
        sequences(DatasetReader.readSplit(spark, dir, metadata, AnchorGenerator.SPLIT_HELD_OUT_KEYS)),
        sequences(DatasetReader.readSplit(spark, dir, metadata, AnchorGenerator.SPLIT_UNSEEN_PAIR)));
  }

  /** The training split and evaluation sets of a generated dataset; see {@link Splits#taskData}. */
  public static TaskData load(SparkSession spark, String dir, int maxEvalRows) throws IOException {
    return readSplits(spark, dir).taskData(maxEvalRows);
  }

  /** The same task data generated in memory, without Spark (tests, benchmarks). */
  public TaskData generateInMemory(int maxEvalRows) {
    Map<String, List<AnchorSequence>> bySplit = new LinkedHashMap<>();
    for (long i = 0; i < rowCount(); i++) {
      AnchorSequence s = generator.row(i);
      bySplit.computeIfAbsent(s.split(), k -> new ArrayList<>()).add(s);
    }
    return new Splits(
        datasetId(),
        bySplit.getOrDefault(AnchorGenerator.SPLIT_TRAIN, List.of()),
        bySplit.getOrDefault(AnchorGenerator.SPLIT_HELD_OUT_KEYS, List.of()),
        bySplit.getOrDefault(AnchorGenerator.SPLIT_UNSEEN_PAIR, List.of()))
        .taskData(maxEvalRows);
  }

  private static List<AnchorSequence> filter(List<AnchorSequence> rows, Predicate<AnchorSequence> keep) {
    return rows.stream().filter(keep).toList();
  }

  /** Parquet rows back to sequences (the columns of {@link #SCHEMA}). */
  private static List<AnchorSequence> sequences(List<Row> rows) {
    List<AnchorSequence> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      List<Integer> seq = r.getList(r.fieldIndex("tokens"));
      int[] tokens = seq.stream().mapToInt(Integer::intValue).toArray();
      out.add(
          new AnchorSequence(
              r.getLong(r.fieldIndex("row")),
              new AnchorRules.Pair(r.getInt(r.fieldIndex("a1")), r.getInt(r.fieldIndex("a2"))),
              r.getInt(r.fieldIndex("key")),
              r.getInt(r.fieldIndex("key_pos")),
              r.getBoolean(r.fieldIndex("heldout_key")),
              tokens,
              r.getInt(r.fieldIndex("target")),
              r.getInt(r.fieldIndex("inferential_target")),
              r.getInt(r.fieldIndex("symmetric_target")),
              r.getString(r.fieldIndex("split"))));
    }
    return out;
  }

  /** Every k-th row so a capped sample still covers all pairs (rows are laid out pair by pair). */
  private static List<AnchorSequence> spread(List<AnchorSequence> rows, int max) {
    if (rows.size() <= max) {
      return rows;
    }
    List<AnchorSequence> out = new ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / max)));
    }
    return out;
  }

  private static EvalSet evalSet(
      String name, List<AnchorSequence> rows, int maxRows, boolean withSymmetric) {
    List<AnchorSequence> kept = spread(rows, maxRows);
    Map<String, Integer> groupIndex = new LinkedHashMap<>();
    int[] groupOfRow = new int[kept.size()];
    int[] symmetric = new int[kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      AnchorSequence s = kept.get(i);
      groupOfRow[i] = groupIndex.computeIfAbsent(s.pair().toString(), k -> groupIndex.size());
      symmetric[i] = s.symmetricTarget();
    }
    Map<String, int[]> alternatives = withSymmetric ? Map.of(ALT_SYMMETRIC, symmetric) : Map.of();
    return new EvalSet(
        name, table(kept), groupIndex.keySet().toArray(String[]::new), groupOfRow, alternatives,
        withSymmetric);
  }

  private static TokenTable table(List<AnchorSequence> rows) {
    int[] tokens = new int[rows.size() * AnchorRules.SEQ_LEN];
    int[] targets = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).tokens(), 0, tokens, i * AnchorRules.SEQ_LEN, AnchorRules.SEQ_LEN);
      targets[i] = rows.get(i).target();
    }
    return new TokenTable(AnchorRules.SEQ_LEN, tokens, targets);
  }
}
