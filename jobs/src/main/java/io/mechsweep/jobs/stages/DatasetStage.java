package io.mechsweep.jobs.stages;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.jobs.tasks.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Makes sure a study's dataset exists under {@code <root>/datasets/<task>/<dataset_id>}. */
public final class DatasetStage {
  private DatasetStage() {}

  public static String dir(String root, Task task) {
    return new Path(new Path(new Path(root, "datasets"), task.kind().name()), task.datasetId()).toString();
  }

  /** Reuses a complete dataset; generates it otherwise. Returns its metadata. */
  public static DatasetMetadata ensure(SparkSession spark, String root, Task task, PrintStream out)
      throws IOException {
    String dir = dir(root, task);
    Optional<DatasetMetadata> existing =
        DatasetMetadata.read(dir, spark.sparkContext().hadoopConfiguration());
    if (existing.isPresent()) {
      out.printf("dataset %s: reusing %s (%,d rows)%n", task.datasetId(), dir, existing.get().totalRows());
      return existing.get();
    }
    int partitions = Math.max(spark.sparkContext().defaultParallelism(), (int) (task.datasetRows() / 250_000) + 1);
    out.printf("dataset %s: generating %s into %s ...%n", task.datasetId(),
        task.datasetRows() > 0 ? String.format("%,d rows", task.datasetRows()) : "it", dir);
    DatasetWriter.Result result = task.generate(spark, dir, partitions);
    out.printf(Locale.ROOT, "dataset %s: %,d rows in %.1f s (%,.0f rows/s); splits %s%n",
        task.datasetId(), result.metadata().totalRows(), result.metadata().generationSeconds(),
        result.rowsPerSecond(), result.metadata().splitRows());
    if (result.details() != null) {
      out.printf("dataset %s: %s%n", task.datasetId(), result.details());
    }
    return result.metadata();
  }
}
