package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.training.eval.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study on a real Spark standalone cluster (bin/cluster: a master and two workers on loopback,
 * each its own JVM, executors launched by the workers) writes the same tables, value for value,
 * as the same study on local Spark: packs trained in other processes give the same numbers.
 */
class ClusterStudyTest {
  static final Path REPO = Path.of(System.getProperty("mechsweep.repo", ".."));
  @TempDir Path tmp;

  @Test
  void aStudyOnAStandaloneClusterWritesTheTablesOfTheLocalRun() throws Exception {
    String classpath = System.getProperty("java.class.path");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = Map.of("MECHSWEEP_CLUSTER_DIR", tmp.resolve("cluster").toString(),
        "MECHSWEEP_CLUSTER_PORT", String.valueOf(port), "MECHSWEEP_CLASSPATH", classpath);
    String master = cluster(env, "start", "2", "1", "2g").trim();
    assertThat(master).isEqualTo("spark://127.0.0.1:" + port);
    try {
      Map<String, String> onCluster = Map.of("spark.master", master, "spark.task.cpus", "1",
          "spark.executor.memory", "1g", "spark.executor.extraClassPath", classpath,
          "spark.executor.extraJavaOptions", "-Dai.djl.offline=true", "spark.driver.host", "127.0.0.1",
          "spark.driver.bindAddress", "127.0.0.1", "spark.sql.shuffle.partitions", "4");
      String clusterRoot = study("cluster", onCluster);
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
      try (var w1 = Files.list(tmp.resolve("cluster/work-1")); var w2 = Files.list(tmp.resolve("cluster/work-2"))) {
        assertThat(w1.count()).isPositive();
        assertThat(w2.count()).isPositive();
      }
      assertThat(cluster(env, "status")).contains("master: running").contains("worker-2: running");
    } finally {
      cluster(env, "stop");
    }
    assertThat(cluster(env, "status")).doesNotContain("running");
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

  /** Runs bin/cluster; returns its stdout, failing with its output when it exits non-zero. */
  private static String cluster(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(REPO.resolve("bin/cluster").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("bin/cluster %s: %s%s", String.join(" ", args), out, err).isZero();
    return out;
  }
}
