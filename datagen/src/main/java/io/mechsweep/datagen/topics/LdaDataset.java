package io.mechsweep.datagen.topics;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetReader;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.IntColumns;
import io.mechsweep.datagen.RowSource;
import io.mechsweep.datagen.TaskData;
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
 * The synthetic LDA corpus on disk: train, dev and test documents as tokens (START … END, no
 * padding), the topic each word was drawn from and the document's mixture θ, so SQL can see the
 * generative truth beside the text.
 */
public final class LdaDataset implements RowSource {
  public static final String TASK = "topics";

  private static final StructType SCHEMA =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("topics", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("mixture", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("split", DataTypes.StringType, false);

  private final LdaGenerator generator;

  public LdaDataset(LdaSpec spec) {
    this.generator = new LdaGenerator(spec);
  }

  public LdaSpec spec() {
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
    LdaDocument d = generator.datasetRow(index);
    return RowFactory.create(d.row(), IntColumns.boxed(d.tokens()), IntColumns.boxed(d.topics()),
        java.util.Arrays.stream(d.mixture()).boxed().toArray(Double[]::new), d.split());
  }

  public DatasetWriter.Result write(SparkSession spark, String dir, int partitions) throws IOException {
    return DatasetWriter.write(spark, this, TASK, datasetId(), spec().seed(), spec(), dir, partitions);
  }

  /** A corpus's documents by split: what training, evaluation and probes are built from. */
  public record Corpus(String datasetId, LdaSpec spec, List<LdaDocument> train, List<LdaDocument> dev,
      List<LdaDocument> test) implements Serializable {

    /** The masked-LM training source and the dev set, scored by accuracy and cross-entropy. */
    public TaskData taskData(MaskedLm masking, int maxEvalRows) {
      return TopicsTrainSource.taskData(TASK, datasetId, train, dev, masking, maxEvalRows, spec.maxTokens(),
          spec.vocabularySize());
    }
  }

  /** Reads a generated corpus back; refused when incomplete, damaged or made by another spec. */
  public static Corpus read(SparkSession spark, String dir) throws IOException {
    DatasetMetadata metadata = DatasetReader.requireComplete(spark, dir);
    if (!TASK.equals(metadata.task())) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " is a '" + metadata.task() + "' dataset, not " + TASK);
    }
    LdaSpec spec = specOf(metadata, dir);
    LdaDataset dataset = new LdaDataset(spec);
    if (!dataset.datasetId().equals(metadata.datasetId())) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has id " + metadata.datasetId() + " but its spec hashes to "
          + dataset.datasetId());
    }
    return new Corpus(metadata.datasetId(), spec,
        documents(DatasetReader.readSplit(spark, dir, metadata, LdaGenerator.TRAIN)),
        documents(DatasetReader.readSplit(spark, dir, metadata, LdaGenerator.DEV)),
        documents(DatasetReader.readSplit(spark, dir, metadata, LdaGenerator.TEST)));
  }

  private static LdaSpec specOf(DatasetMetadata metadata, String dir) throws IOException {
    Map<String, Object> s = metadata.spec();
    try {
      return new LdaSpec(((Number) s.get("seed")).longValue(), ((Number) s.get("topics")).intValue(),
          ((Number) s.get("wordsPerTopic")).intValue(), ((Number) s.get("alpha")).doubleValue(),
          ((Number) s.get("minLength")).intValue(), ((Number) s.get("maxLength")).intValue(),
          ((Number) s.get("trainDocs")).intValue(), ((Number) s.get("devDocs")).intValue(),
          ((Number) s.get("testDocs")).intValue());
    } catch (RuntimeException e) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has an unreadable topics spec " + s, e);
    }
  }

  private static List<LdaDocument> documents(List<Row> rows) {
    List<LdaDocument> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      List<Double> mixture = r.getList(r.fieldIndex("mixture"));
      out.add(new LdaDocument(r.getLong(r.fieldIndex("row")), r.getString(r.fieldIndex("split")),
          IntColumns.read(r, "tokens"), IntColumns.read(r, "topics"), mixture.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    return out;
  }

}
