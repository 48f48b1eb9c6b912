package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.training.eval.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark-submit of a study to a real Spark standalone cluster (bin/cluster: a master and two
 * workers on loopback, each its own JVM, executors launched by the workers) writes the same
 * tables, value for value, as the same study on local Spark: packs trained in other processes
 * give the same numbers.
 */
class ClusterStudyTest {
  @TempDir Path tmp;

  @Test
  void aStudySubmittedToAStandaloneClusterWritesTheTablesOfTheLocalRun() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY);
    Path clusterRoot = tmp.resolve("cluster-root");
    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"), 2, "2g")) {
      Path log = tmp.resolve("submit.log");
      Process driver = cluster.submit(log, "study", config.toString(), "--root", clusterRoot.toString(),
          "--conf", "spark.sql.shuffle.partitions=4");
      assertThat(driver.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(driver.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log)).contains("training: 4 of 4 packs done").contains("report: " + clusterRoot);
      String localRoot = study("local", Map.of("spark.master", "local[2]", "spark.task.cpus", "1"));

      SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
      try {
        for (String[] t : new String[][] {{"runs", "run_id, status, final_step, final_loss, config_json"},
            {"metrics", "run_id, step, loss, grad_norm"}, {"evals", "run_id, step, eval_set, metric, bucket, value, n"},
            {"solutions", "run_id, step, solution_type"}, {"probes", "run_id, step, probe, tensor, layer, head, probe_set,"
            + " bucket, value"}}) {
          Dataset<Row> a = spark.read().parquet(clusterRoot + "/tables/" + t[0]).selectExpr(t[1].split(",\\s*"));
          Dataset<Row> b = spark.read().parquet(localRoot + "/tables/" + t[0]).selectExpr(t[1].split(",\\s*"));
          assertThat(a.count()).as(t[0]).isPositive().isEqualTo(b.count());
          assertThat(a.exceptAll(b).count()).as("%s rows only on the cluster", t[0]).isZero();
          assertThat(b.exceptAll(a).count()).as("%s rows only on local Spark", t[0]).isZero();
        }
      } finally {
        spark.stop();
      }
      // Both workers ran executors of the study (an application directory each).
      try (var w1 = Files.list(cluster.dir.resolve("work-1")); var w2 = Files.list(cluster.dir.resolve("work-2"))) {
        assertThat(w1.count()).isPositive();
        assertThat(w2.count()).isPositive();
      }
      assertThat(cluster.run("status")).contains("master: running").contains("worker-2: running");
      cluster.close();
      assertThat(cluster.run("status")).doesNotContain("running");
    }
  }

  private String study(String name, Map<String, String> conf) throws IOException {
    String root = tmp.resolve(name).toString();
    SparkSession spark = SparkSessions.create(name, root, SparkSessions.Catalog.NONE, conf);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StudyRunner runner = new StudyRunner(spark, root, SparkSessions.Catalog.NONE,
          new PrintStream(out, true, StandardCharsets.UTF_8));
      StudyRunner.Result result = runner.train(StudyConfigParser.parse(StudyConfigParserTest.TINY, "tiny"), true, false,
          false);
      assertThat(result.outcomes()).as(out.toString(StandardCharsets.UTF_8)).hasSize(8)
          .extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
      return root;
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }
}
