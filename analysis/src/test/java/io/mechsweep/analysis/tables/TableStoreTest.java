package io.mechsweep.analysis.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study's partition is replaced as one: readers see the old rows or the new, never a mix or a part. */
class TableStoreTest {
  @TempDir static Path root;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("table-store").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** 300 metric rows of one version (its number in {@code step}), written by three tasks: three files. */
  private static Dataset<Row> version(TableStore tables, int v) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(RowFactory.create("run-" + i, v, 1e-3, 1.0, 0.5, "train"));
    }
    return spark.createDataFrame(rows, Tables.METRICS.schema()).repartition(3);
  }

  @Test
  void aReaderLoopingOverAPartitionWhileItIsRewrittenNeverSeesAPartialOne() throws Exception {
    TableStore tables = new TableStore(spark, root.toString(), false);
    tables.replace(Tables.METRICS, "s", version(tables, 0));
    String partition = tables.partition(Tables.METRICS, "s");
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<?> rewrites = writer.submit(() -> {
      try {
        for (int v = 1; v <= 25; v++) {
          tables.replace(Tables.METRICS, "s", version(tables, v));
        }
      } finally {
        writing.set(false);
      }
    });
    int whole = 0;
    int retried = 0;
    List<String> partial = new ArrayList<>();
    try {
      while (writing.get()) {
        try {
          Row r = spark.read().schema(Tables.METRICS.schema()).parquet(partition)
              .agg(functions.count("*"), functions.min("step"), functions.max("step")).first();
          if (r.getLong(0) == 300 && r.getInt(1) == r.getInt(2)) {
            whole++;
          } else {
            partial.add(r.toString());
          }
        } catch (Exception e) { // listed old files that the swap moved: an error to retry, not a mix
          assertThat(vanished(e)).as(e.toString()).isTrue();
          // The swap is one atomic exchange of the directories here (local Linux file system):
          // the partition itself is never missing, only files a reader listed before the swap.
          assertThat(String.valueOf(e.getMessage())).as("the partition was absent").doesNotContain("PATH_NOT_FOUND");
          retried++;
        }
      }
      rewrites.get();
    } finally {
      writer.shutdownNow();
    }
    assertThat(partial).as("reads that saw part of a version or two versions at once").isEmpty();
    assertThat(whole).as("whole reads (%d retried)", retried).isGreaterThan(5);
    Row last = spark.read().parquet(partition).agg(functions.count("*"), functions.min("step")).first();
    assertThat(last.getLong(0)).isEqualTo(300);
    assertThat(last.getInt(1)).isEqualTo(25);
    try (var left = Files.list(Path.of(tables.location(Tables.METRICS)))) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no staging or retired version left behind")
          .contains("study=s").isSubsetOf("study=s", "_staging", "_retired");
    }
    try (var staging = Files.list(Path.of(tables.location(Tables.METRICS), "_staging"))) {
      assertThat(staging).isEmpty();
    }
  }

  /** A read that failed because a file it had listed or opened was gone (Spark says so in several ways). */
  private static boolean vanished(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.FileNotFoundException || t instanceof java.nio.file.NoSuchFileException
          || String.valueOf(t.getMessage()).contains("FILE_NOT_EXIST")
          || String.valueOf(t.getMessage()).contains("PATH_NOT_FOUND")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aSwapKilledBetweenItsTwoRenamesIsUndoneByTheNextWrite() throws Exception {
    TableStore tables = new TableStore(spark, root.resolve("killed").toString(), false);
    tables.replace(Tables.METRICS, "k", version(tables, 1));
    Path live = Path.of(tables.partition(Tables.METRICS, "k"));
    Path retired = Path.of(tables.location(Tables.METRICS), "_retired", "k-" + java.util.UUID.randomUUID());
    Files.createDirectories(retired.getParent());
    Files.move(live, retired); // the writer died after moving the old version aside
    // The next write keeps the study's other runs' rows, as TableStage does: 112 runs rewritten, 188 kept.
    Dataset<Row> fresh = version(tables, 2).where("run_id < 'run-2'").withColumn("lr", functions.lit(2e-3));
    assertThat(fresh.count()).isEqualTo(112); // run-0, run-1, run-10..19, run-100..199
    tables.replace(Tables.METRICS, "k", tables.others(Tables.METRICS, "k", fresh, "run_id").unionByName(fresh));
    Row r = tables.readStudy(Tables.METRICS, "k").agg(functions.count("*"), functions.max("lr"),
        functions.sum(functions.when(functions.col("lr").equalTo(1e-3), 1).otherwise(0))).first();
    assertThat(r.getLong(0)).as("the old version came back before the new one was built from it").isEqualTo(300);
    assertThat(r.getLong(2)).isEqualTo(188);
    assertThat(r.getDouble(1)).isEqualTo(2e-3);
  }
}
