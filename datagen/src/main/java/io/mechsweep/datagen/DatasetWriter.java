package io.mechsweep.datagen;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a {@link RowSource} as Parquet partitioned by split, then its metadata.
 *
 * <p>Rows are computed where Spark schedules them; since each row depends only on its index the
 * content is the same for any partition count. Metadata goes last, so a crash mid-write leaves
 * a directory that {@link DatasetReader} refuses instead of a silently short dataset.
 */
public final class DatasetWriter {
  private DatasetWriter() {}

  /** @param details what generation found, for the console (null when nothing to say) */
  public record Result(DatasetMetadata metadata, double rowsPerSecond, String details) {}

  public static Result write(
      SparkSession spark,
      RowSource source,
      String task,
      String datasetId,
      long seed,
      Object spec,
      String dir,
      int partitions)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(conf);
    if (fs.exists(path)) {
      fs.delete(path, true); // an incomplete earlier attempt: start over
    }
    long start = System.nanoTime();
    Dataset<Row> rows =
        spark
            .range(0, source.rowCount(), 1, partitions)
            .map((MapFunction<Long, Row>) source::row, Encoders.row(source.schema()));
    rows.write().mode(SaveMode.ErrorIfExists).partitionBy("split").parquet(dir);
    double seconds = (System.nanoTime() - start) / 1e9;
    return commit(spark, dir, task, datasetId, seed, spec, source.rowCount(), seconds, null);
  }

  /**
   * Checks the rows written under {@code dir} (partitioned by {@code split}) against the count
   * the generator meant, then writes the metadata, last: only now does the dataset exist.
   *
   * @param details a line for the console about what generation found (null for none)
   */
  public static Result commit(SparkSession spark, String dir, String task, String datasetId, long seed, Object spec,
      long expectedRows, double seconds, String details) throws IOException {
    Map<String, Long> splitRows = new LinkedHashMap<>();
    List<Row> counts =
        spark.read().parquet(dir).groupBy("split").count().orderBy("split").collectAsList();
    for (Row r : counts) {
      splitRows.put(r.getString(0), r.getLong(1));
    }
    long total = splitRows.values().stream().mapToLong(Long::longValue).sum();
    if (total != expectedRows) {
      throw new IOException("wrote " + total + " rows to " + dir + " but the source has " + expectedRows);
    }
    DatasetMetadata metadata =
        new DatasetMetadata(
            datasetId, task, seed, DatasetMetadata.asMap(spec), splitRows, total, seconds);
    metadata.write(dir, spark.sparkContext().hadoopConfiguration());
    return new Result(metadata, expectedRows / seconds, details);
  }
}
