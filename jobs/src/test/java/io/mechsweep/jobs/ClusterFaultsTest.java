package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a real standalone cluster (bin/cluster; studies spark-submitted to it): an executor
 * JVM killed mid-training, the driver killed mid-study, and a dataset file no attempt can read.
 * In each the study either completes with every run once in every table, or stops with one line
 * naming the cause and nothing of it in the tables.
 */
class ClusterFaultsTest {
  /** Long enough (1,500 steps a pack) that a kill lands while packs train. */
  static final String LONGER = StudyConfigParserTest.TINY.replace("steps: 12", "steps: 1500")
      .replace("evaluation: {every_steps: 6", "evaluation: {every_steps: 500")
      .replace("checkpoints: {every_steps: 6}", "checkpoints: {every_steps: 250}")
      .replace("logging: {every_steps: 2}", "logging: {every_steps: 50}");
  /** Each table's key: a row appears once per key, whatever was retried. */
  static final String[][] KEYS = {{"runs", "run_id"}, {"metrics", "run_id, stage, step"},
      {"evals", "run_id, step, eval_set, metric, bucket"}, {"solutions", "run_id, step"},
      {"probes", "run_id, step, probe, tensor, layer, head, probe_set, bucket"}};

  @TempDir static Path tmp;
  static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(tmp.resolve("cluster"), 2, "2g");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void anExecutorKilledMidTrainingIsReplacedAndTheStudyCompletesWithNoRunLostOrRowDuplicated() throws Exception {
    Path root = tmp.resolve("executor-killed");
    Path log = tmp.resolve("executor-killed.log");
    Process driver = cluster.submit(log, "study", config("longer.yaml", LONGER).toString(), "--root", root.toString(),
        "--conf", "spark.sql.shuffle.partitions=4");
    waitUntil(() -> checkpoints(root) > 0, 300, log);
    assertThat(results(root)).as("runs finished before the kill").isLessThan(8);
    var executors = cluster.executorsOf(1);
    assertThat(executors).as("worker 1's executor JVMs").isNotEmpty();
    executors.forEach(ProcessHandle::destroyForcibly); // kill -9

    assertThat(driver.waitFor(600, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(driver.exitValue()).as(out).isZero();
    assertThat(out).containsAnyOf("Lost executor", "ExecutorLostFailure").contains("training: 4 of 4 packs done");
    assertCompleteAndUnduplicated(root);
  }

  @Test
  void aStudyWhoseDriverWasKilledFinishesWhenSubmittedAgain() throws Exception {
    Path root = tmp.resolve("driver-killed");
    Path config = config("longer-2.yaml", LONGER.replace("study: tiny", "study: resumed"));
    Path first = tmp.resolve("driver-killed-1.log");
    Process driver = cluster.submit(first, "study", config.toString(), "--root", root.toString(),
        "--conf", "spark.sql.shuffle.partitions=4");
    waitUntil(() -> completeCheckpoint(root), 300, first);
    Thread.sleep(1000); // the pack-mates' checkpoints of that step are written right after it
    driver.destroyForcibly(); // kill -9 of the spark-submit JVM: the driver, mid-training
    assertThat(driver.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(results(root)).as("runs finished before the kill").isLessThan(8);

    Path second = tmp.resolve("driver-killed-2.log");
    Process again = cluster.submit(second, "study", config.toString(), "--root", root.toString(),
        "--conf", "spark.sql.shuffle.partitions=4");
    assertThat(again.waitFor(600, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(second);
    assertThat(again.exitValue()).as(out).isZero();
    assertThat(out).contains("taking over the stale lock");
    assertThat(executorLogs()).as("the executors' logs").containsPattern("pack resumed-\\S+: resuming its");
    assertCompleteAndUnduplicated(root);
  }

  @Test
  void aDatasetFileNoAttemptCanReadStopsTheStudyNamingItWithNothingInTheTables() throws Exception {
    Path root = tmp.resolve("unreadable");
    Path config = config("tiny.yaml", StudyConfigParserTest.TINY);
    Process first = cluster.submit(tmp.resolve("first.log"), "study", config.toString(), "--root", root.toString());
    assertThat(first.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(Files.readString(tmp.resolve("first.log"))).isZero();
    Path file;
    try (var files = Files.walk(root.resolve("datasets"))) {
      file = files.filter(f -> f.getFileName().toString().startsWith("part-") && f.toString().contains("split=train"))
          .findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    for (int i = bytes.length / 3; i < 2 * bytes.length / 3; i++) {
      bytes[i] = 0x5a; // same length, garbage inside: only reading it finds out
    }
    Files.write(file, bytes);
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));

    Path log = tmp.resolve("unreadable.log");
    Process study = cluster.submit(log, "study", config.toString(), "--root", root.toString(), "--study", "broken");
    assertThat(study.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(study.exitValue()).as(out).isEqualTo(Main.BAD_INPUT);
    assertThat(out).contains("failed 4 times") // Spark tried every attempt
        .contains("mechsweep: dataset file file://" + file + " cannot be read")
        .contains("must be rebuilt");
    try (var tables = Files.list(root.resolve("tables"))) {
      for (Path table : tables.toList()) {
        assertThat(table.resolve("study=broken")).doesNotExist();
      }
    }
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try { // the study written before is whole
      assertThat(spark.read().parquet(root + "/tables/runs").where("study = 'tiny' and status = 'finished'").count())
          .isEqualTo(8);
    } finally {
      spark.stop();
    }
  }

  /** Every run finished, once in the runs table; no table holds a key twice. */
  private static void assertCompleteAndUnduplicated(Path root) {
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      Dataset<Row> runs = spark.read().parquet(root + "/tables/runs");
      assertThat(runs.where("status = 'finished'").count()).isEqualTo(8);
      assertThat(runs.where("final_step = 1500").count()).isEqualTo(8);
      for (String[] t : KEYS) {
        Dataset<Row> rows = spark.read().parquet(root + "/tables/" + t[0]);
        long all = rows.count();
        assertThat(all).as(t[0]).isPositive();
        assertThat(rows.selectExpr(t[1].split(",\\s*")).distinct().count()).as("%s keys", t[0]).isEqualTo(all);
      }
      // Every run's training loss logged at each of the 30 logging steps, each once.
      assertThat(spark.read().parquet(root + "/tables/metrics").where("stage = 'train'").groupBy("run_id").count()
          .where("count != 30").count()).isZero();
    } finally {
      spark.stop();
    }
  }

  /** What the executors of every application on the cluster logged (their stderr files). */
  private static String executorLogs() throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(cluster.dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  private static Path config(String name, String text) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static long checkpoints(Path root) {
    return count(root.resolve("checkpoints"), 2);
  }

  /**
   * Whether some run has a complete checkpoint after step 0 (its state.json is written last), the
   * step a resumed pack starts from.
   */
  private static boolean completeCheckpoint(Path root) {
    Path dir = root.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.walk(dir, 3)) {
      return files.anyMatch(f -> f.getFileName().toString().equals("state.json")
          && !f.getParent().getFileName().toString().equals("step-00000000"));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static long results(Path root) {
    return count(root.resolve("results"), 1);
  }

  private static long count(Path dir, int depth) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var entries = Files.walk(dir, depth)) {
      return entries.filter(p -> !p.equals(dir) && dir.relativize(p).getNameCount() == depth).count();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0; // a directory renamed while listed: look again
    }
  }

  private static void waitUntil(BooleanSupplier condition, int seconds, Path log) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %d s; the driver's log: %s", seconds, Files.readString(log)).isLessThan(end);
      Thread.sleep(200);
    }
  }
}
