package io.mechsweep.datagen;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Reads a dataset's splits only after checking that the directory is complete. */
public final class DatasetReader {
  private DatasetReader() {}

  /** The metadata, or an error saying why the directory cannot be trusted. */
  public static DatasetMetadata requireComplete(SparkSession spark, String dir) throws IOException {
    return DatasetMetadata.read(dir, spark.sparkContext().hadoopConfiguration())
        .orElseThrow(
            () ->
                new io.mechsweep.datagen.BadInputException(
                    "dataset at "
                        + dir
                        + " is incomplete: "
                        + DatasetMetadata.FILE_NAME
                        + " is missing (generation did not finish); delete it or run `mechsweep"
                        + " generate` again"));
  }

  /**
   * One split, ordered by row index, with its row count checked against the metadata
   * ({@link #requireComplete} gives it).
   */
  public static List<Row> readSplit(SparkSession spark, String dir, DatasetMetadata metadata, String split)
      throws IOException {
    Long expected = metadata.splitRows().get(split);
    if (expected == null) {
      throw new io.mechsweep.datagen.BadInputException(
          "dataset at " + dir + " has no split '" + split + "'; it has " + metadata.splitRows().keySet());
    }
    Dataset<Row> rows =
        spark.read().parquet(dir).where(functions.col("split").equalTo(split)).orderBy("row");
    List<Row> list = rows.collectAsList();
    if (list.size() != expected) {
      throw new io.mechsweep.datagen.BadInputException(
          "dataset at " + dir + " split '" + split + "' has " + list.size()
              + " rows but its metadata says " + expected + ": files are missing or corrupt");
    }
    return list;
  }
}
