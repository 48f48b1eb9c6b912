package io.mechsweep.jobs.stages;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Makes sure a study's dataset exists under {@code <root>/datasets/<task>/<dataset_id>}. */
public final class DatasetStage {
  private DatasetStage() {}

  public static String dir(String root, AnchorDataset dataset) {
    return new Path(new Path(new Path(root, "datasets"), AnchorDataset.TASK), dataset.datasetId()).toString();
  }

  /** Reuses a complete dataset; generates it otherwise. Returns its metadata. */
  public static DatasetMetadata ensure(SparkSession spark, String root, AnchorSpec spec, PrintStream out)
      throws IOException {
    AnchorDataset dataset = new AnchorDataset(spec);
    String dir = dir(root, dataset);
    Optional<DatasetMetadata> existing =
        DatasetMetadata.read(dir, spark.sparkContext().hadoopConfiguration());
    if (existing.isPresent()) {
      out.printf("dataset %s: reusing %s (%,d rows)%n", dataset.datasetId(), dir, existing.get().totalRows());
      return existing.get();
    }
    int partitions = Math.max(spark.sparkContext().defaultParallelism(), (int) (spec.totalRows() / 250_000) + 1);
    out.printf("dataset %s: generating %,d rows into %s ...%n", dataset.datasetId(), spec.totalRows(), dir);
    DatasetWriter.Result result = dataset.write(spark, dir, partitions);
    out.printf(Locale.ROOT, "dataset %s: %,d rows in %.1f s (%,.0f rows/s); splits %s%n",
        dataset.datasetId(), result.metadata().totalRows(), result.metadata().generationSeconds(),
        result.rowsPerSecond(), result.metadata().splitRows());
    return result.metadata();
  }
}
