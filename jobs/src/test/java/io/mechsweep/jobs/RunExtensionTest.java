package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.stages.SparkSessions;
import io.mechsweep.training.checkpoint.Checkpoint;
import io.mechsweep.training.checkpoint.LocalFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raising training.steps continues finished runs of a schedule that does not depend on the total:
 * a run trained to 20 steps and extended to 40 ends bit for bit where one trained to 40 in one go
 * does, curves included; a cosine run is trained again from step 0.
 */
class RunExtensionTest {
  static final String STUDY = """
      study: ext
      task: {name: varassign, seed: 5, pool_size: 40}
      model: {d_model: 16, d_ff: 32, d_k: 16, depth: [2]}
      training:
        steps: 20
        batch_size: 32
        peak_lr: 3.0e-3
        schedule: {kind: constant}
        adamw: {weight_decay: 0.02}
        clip_norm: 0
        pack_size: 2
      seeds: [1, 2]
      evaluation: {every_steps: 10, max_rows_per_set: 20}
      probes: {rows_per_set: 8}
      checkpoints: {every_steps: 10}
      logging: {every_steps: 10}
      """;
  static final String COSINE = STUDY.replace("schedule: {kind: constant}",
      "schedule: {warmup_steps: 5, start_lr: 1.0e-4, min_lr: 1.0e-4}");

  @TempDir static Path extended;
  @TempDir static Path oneGo;
  @TempDir static Path cosine;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.create("extension", extended.toString(), SparkSessions.Catalog.NONE,
        Map.of("spark.master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aRunExtendedFrom20To40StepsEqualsOneTrainedTo40InOneGo() throws Exception {
    List<RunOutcome> shortRuns = train(extended, STUDY).outcomes();
    Run second = trainPrinting(extended, STUDY.replace("steps: 20", "steps: 40"));
    List<RunOutcome> inOneGo = train(oneGo, STUDY.replace("steps: 20", "steps: 40")).outcomes();

    for (int i = 0; i < 2; i++) {
      RunOutcome from = shortRuns.get(i);
      RunOutcome continued = second.result().outcomes().get(i);
      RunOutcome reference = inOneGo.get(i);
      assertThat(continued.runId()).isEqualTo(reference.runId()).isNotEqualTo(from.runId());
      assertThat(second.printed()).contains("continues " + from.runId() + "@20: from its step 20 to 40");
      assertThat(continued.resumedFromStep()).isEqualTo(20);
      assertThat(continued.extendedFrom()).isEqualTo(from.runId() + "@20");
      assertThat(reference.extendedFrom()).isNull();
      assertThat(continued.finalStep()).isEqualTo(40);
      assertThat(continued.metrics()).isEqualTo(reference.metrics());
      assertThat(continued.evals()).isEqualTo(reference.evals());
      assertThat(continued.finalLoss()).isEqualTo(reference.finalLoss());
      // Parameters and AdamW's moments, bit for bit, at every checkpoint of the longer run (the
      // files' own bytes differ: npz entries carry the time they were written).
      for (int step : List.of(10, 20, 30, 40)) {
        assertThat(tensors(extended, continued.runId(), step)).as("step %d", step)
            .isEqualTo(tensors(oneGo, reference.runId(), step));
      }
      assertThat(meta(extended, continued.runId(), 20).extendedFrom()).isEqualTo(from.runId() + "@20");
    }
    List<Row> rows = spark.read().parquet(extended + "/tables/runs")
        .where("study = 'ext' and current_config").select("extended_from", "steps").collectAsList();
    assertThat(rows).extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder(shortRuns.get(0).runId() + "@20", shortRuns.get(1).runId() + "@20");
    // The views, and so the summary, show the runs of the latest config only: the shorter runs are history.
    assertThat(second.result().summary())
        .contains(second.result().outcomes().get(0).runId(), second.result().outcomes().get(1).runId())
        .doesNotContain(shortRuns.get(0).runId()).doesNotContain(shortRuns.get(1).runId());
    // Raising it again continues from the longest finished run.
    Run third = trainPrinting(extended, STUDY.replace("steps: 20", "steps: 50"));
    assertThat(third.result().outcomes()).extracting(RunOutcome::extendedFrom)
        .containsExactly(second.result().outcomes().get(0).runId() + "@40",
            second.result().outcomes().get(1).runId() + "@40");
  }

  @Test
  void aCosineRunIsTrainedAgainAndTheLineSaysWhy() throws Exception {
    train(cosine, COSINE);
    Run longer = trainPrinting(cosine, COSINE.replace("steps: 20", "steps: 40"));
    assertThat(longer.printed()).contains("trains from step 0 rather than continuing")
        .contains("its learning rate follows warmup_cosine down to min_lr 1.0E-4, a decay spread over training.steps");
    assertThat(longer.result().outcomes()).allSatisfy(o -> {
      assertThat(o.resumedFromStep()).isZero();
      assertThat(o.extendedFrom()).isNull();
      assertThat(o.finalStep()).isEqualTo(40);
    });
    // Warm-up to a min_lr equal to peak_lr is flat after the warm-up: that extends.
    String flat = COSINE.replace("min_lr: 1.0e-4", "min_lr: 3.0e-3");
    train(cosine, flat);
    assertThat(trainPrinting(cosine, flat.replace("steps: 20", "steps: 40")).result().outcomes())
        .allSatisfy(o -> assertThat(o.resumedFromStep()).isEqualTo(20));
  }

  private record Run(StudyRunner.Result result, String printed) {}

  private static StudyRunner.Result train(Path root, String yaml) throws IOException {
    return trainPrinting(root, yaml).result();
  }

  private static Run trainPrinting(Path root, String yaml) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StudyRunner.Result result = new StudyRunner(spark, root.toString(), SparkSessions.Catalog.NONE,
        new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .train(StudyConfigParser.parse(yaml, "ext.yaml"), true, false, false, new StudyRunner.Steps(true, false, false));
    return new Run(result, bytes.toString(StandardCharsets.UTF_8));
  }

  /** Every tensor of a checkpoint, parameters then optimizer state, as name → raw bytes. */
  private static Map<String, List<Byte>> tensors(Path root, String runId, int step) throws IOException {
    Map<String, List<Byte>> out = new java.util.LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      RunStore.Loaded loaded = new RunStore(root.toString(), new LocalFiles()).load(runId, step, manager);
      NDList all = new NDList(loaded.params());
      all.addAll(loaded.optimizer());
      for (NDArray t : all) {
        byte[] bytes = t.toByteArray();
        List<Byte> boxed = new java.util.ArrayList<>(bytes.length);
        for (byte b : bytes) {
          boxed.add(b);
        }
        out.put(t.getName(), boxed);
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  private static Checkpoint meta(Path root, String runId, int step) throws IOException {
    return new RunStore(root.toString(), new LocalFiles()).readMeta(runId, step);
  }
}
