package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's GPU scheduling on a real standalone cluster, on a machine without a GPU: the worker
 * offers two GPUs found by a discovery script that hands out addresses 0 and 1, the study asks
 * for one GPU per task (conf/spark/gpu.conf's settings), and each of the two packs, trained at
 * once by one executor, is placed on the address its task was given. This machine's libtorch is
 * CPU-only, so both packs' runs fail, naming the GPU Spark assigned and what libtorch sees,
 * instead of silently training on the CPU; the study still writes its tables.
 */
class GpuSchedulingTest {
  @TempDir Path tmp;

  @Test
  void eachConcurrentTaskGetsItsOwnGpuAndItsPackIsPlacedOnIt() throws Exception {
    Path discovery = tmp.resolve("fake-gpus.sh");
    Files.writeString(discovery, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}'\n");
    discovery.toFile().setExecutable(true);
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY.replace("depth: [1, 2]", "depth: [2]")
        .replace("pack_size: 3", "pack_size: 2"));
    Path root = tmp.resolve("root");
    String workerGpus = "-Dspark.worker.resource.gpu.amount=2 -Dspark.worker.resource.gpu.discoveryScript=" + discovery;
    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"), 1, 2, "3g", workerGpus)) {
      Path log = tmp.resolve("submit.log");
      Process driver = cluster.submit(log, "study", config.toString(), "--root", root.toString(), "--catalog", "none",
          "--conf", "spark.executor.cores=2", "--conf", "spark.executor.resource.gpu.amount=2",
          "--conf", "spark.task.resource.gpu.amount=1", "--conf", "spark.sql.shuffle.partitions=4");
      assertThat(driver.waitFor(300, TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(log);
      assertThat(driver.exitValue()).as(output).isEqualTo(Main.RUNS_FAILED);
      assertThat(output).contains("training: 4 runs (0 already done) in 2 packs of up to 2")
          .contains("mechsweep: 4 of 4 runs failed");
    }

    // Each pack's runs name one device, that of the task that held the pack; the two packs ran at
    // once on the executor's two GPUs, so they name different ones.
    Map<String, List<String>> devicesByPack = new TreeMap<>();
    List<JsonNode> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(root.resolve("results"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        results.add(new ObjectMapper().readTree(f.toFile()));
      }
    }
    assertThat(results).hasSize(4);
    for (JsonNode r : results) {
      assertThat(r.path("status").asText()).isEqualTo("failed");
      String device = r.path("device").asText();
      assertThat(r.path("reason").asText()).isEqualTo("Spark assigned GPU " + device.replaceAll("\\D", "")
          + " to this task, but libtorch 2.7.1 sees 0 GPUs (a CPU-only libtorch sees none; docs/gpu.md"
          + " says how executors get a CUDA one)");
      devicesByPack.computeIfAbsent(r.path("packSize").asText() + "/" + device, k -> new ArrayList<>())
          .add(r.path("runId").asText());
    }
    assertThat(new TreeSet<>(results.stream().map(r -> r.path("device").asText()).toList()))
        .containsExactly("gpu(0)", "gpu(1)");
    assertThat(devicesByPack.values()).as("two runs (one pack) per GPU").allSatisfy(runs -> assertThat(runs).hasSize(2));
    // The runs table holds them too, with their reasons and devices.
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      List<Row> rows = spark.read().parquet(root + "/tables/runs")
          .selectExpr("device", "status", "failure_reason like 'Spark assigned GPU %' as named")
          .groupBy("device", "status", "named").count().orderBy("device").collectAsList();
      assertThat(rows).extracting(Row::toString).containsExactly("[gpu(0),failed,true,2]", "[gpu(1),failed,true,2]");
    } finally {
      spark.stop();
    }
  }
}
