package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swept study through the command line: plan before (writing nothing), the study, status after,
 * the tables' run names and run_params, and SQL as CSV.
 */
class SweepStudyTest {
  @TempDir Path tmp;

  private static MainTest.Run run(String... args) {
    return MainTest.runPrinting(args);
  }

  @Test
  void aSweptStudyPlansTrainsShowsItsStatusAndAnswersSqlByAxis() throws Exception {
    Path config = tmp.resolve("swept.yaml");
    Files.writeString(config, SweepConfigTest.SWEPT);
    Path root = tmp.resolve("root");

    MainTest.Run plan = run("plan", config.toString(), "--root", root.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("axes: model.d_model [16, 32]; training.batch_size [16, 32]; seeds [1, 2]")
        .contains("runs: 8; in the root: 0 done, 0 failed (--retry-failed trains them), 8 to train in 4 packs")
        .contains("d_model=16 batch_size=16 seed=1");
    MainTest.Run timed = run("plan", config.toString(), "--root", root.toString(), "--time");
    assertThat(timed.code()).as(timed.err()).isZero();
    assertThat(timed.out()).containsPattern("time: [0-9.]+ ms per step for a pack of 2 at \\d threads? \\(5 steps timed\\)")
        .containsPattern("time: about \\S+ of training with \\d+ packs? at once on \\d+ cores");
    assertThat(root).as("plan writes nothing").doesNotExist();

    MainTest.Run study = run("study", config.toString(), "--root", root.toString(), "--catalog", "none");
    assertThat(study.code()).as(study.err()).isZero();
    assertThat(study.out()).contains("training: 8 runs (0 already done) in 4 packs of up to 2")
        .containsPattern("training: 4 packs, \\d at once, \\d+ CPU threads? each when no GPU is assigned \\(local mode:"
            + " the \\d+ cores shared among the packs that run at once\\)");

    // A run given to init_from by study and name resolves to its id, as if the id had been written.
    String source = csvFirst(root, "select run_id from mechsweep.runs where run_name = 'd_model=16 batch_size=16 seed=1'");
    io.mechsweep.jobs.config.StudyConfig warm = io.mechsweep.jobs.plan.RunReferences.resolve(
        io.mechsweep.jobs.config.StudyConfigParser.parse(config, List.of("model.init_from=ext/d_model=16 batch_size=16 seed=1@20")),
        io.mechsweep.training.checkpoint.HadoopFiles.forDefaultConfiguration(), root.toString());
    assertThat(io.mechsweep.jobs.plan.StudyPlan.of(warm).runs()).allSatisfy(r -> assertThat(r.config().initFrom())
        .isEqualTo(source + "@20"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.mechsweep.jobs.plan.RunReferences.resolve(
            io.mechsweep.jobs.config.StudyConfigParser.parse(config, List.of("model.init_from=ext/seed=9")),
            io.mechsweep.training.checkpoint.HadoopFiles.forDefaultConfiguration(), root.toString()))
        .hasMessageContaining("model.init_from: study 'ext' has no run named 'seed=9'; its runs: [d_model=16 batch_size=16 seed=1");

    MainTest.Run status = run("status", "--root", root.toString());
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("study ext (task varassign, 8 runs): 8 finished, 0 running, 0 failed, 0 pending");
    assertThat(run("plan", config.toString(), "--root", root.toString(), "--set", "training.steps=30").out())
        .as("a changed config's runs are new").contains("0 done, 0 failed (--retry-failed trains them), 8 to train");
    assertThat(run("plan", config.toString(), "--root", root.toString()).out()).contains("8 done, 0 failed");

    MainTest.Run csv = run("sql", "--root", root.toString(), "--format", "csv",
        "select r.run_name, r.batch_size, p.value as d_model from mechsweep.runs r join mechsweep.run_params p"
            + " using (study, run_id) where p.name = 'd_model' order by r.run_name");
    assertThat(csv.code()).as(csv.err()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("run_name,batch_size,d_model");
    Map<String, String[]> byName = new HashMap<>();
    lines.subList(1, lines.size()).forEach(l -> byName.put(l.split(",")[0], l.split(",")));
    assertThat(byName).hasSize(8);
    String[] row = byName.get("d_model=32 batch_size=16 seed=2");
    assertThat(Arrays.asList(row)).containsExactly("d_model=32 batch_size=16 seed=2", "16", "32");

    MainTest.Run list = run("sql", "--root", root.toString(), "--list");
    assertThat(list.out()).contains("mechsweep.run_params: run_id string, name string, value string")
        .contains("mechsweep.runs: run_id string");
    MainTest.Run format = run("sql", "--root", root.toString(), "--format", "xml", "select 1");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--format: got 'xml'; allowed: table, csv, json, markdown");
  }

  @Test
  void statusDuringAStudyShowsARunningPackAndAFinishedOne() throws Exception {
    Path root = tmp.resolve("live");
    String yaml = RunExtensionTest.STUDY.replace("evaluation: {every_steps: 10", "evaluation: {every_steps: 20")
        .replace("checkpoints: {every_steps: 10}", "checkpoints: {every_steps: 20}")
        .replace("logging: {every_steps: 10}", "logging: {every_steps: 20}") + "sweep: {training.steps: [20, 4000]}\n";
    Path config = tmp.resolve("live.yaml");
    Files.writeString(config, yaml);
    java.util.concurrent.atomic.AtomicReference<MainTest.Run> study = new java.util.concurrent.atomic.AtomicReference<>();
    Thread running = new Thread(() -> study.set(MainTest.run("study", config.toString(), "--root", root.toString(),
        "--catalog", "none")));
    running.start();
    String seen = "";
    long rowsWhileTraining = 0;
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (running.isAlive() && System.nanoTime() < deadline
        && !(seen.contains("2 finished, 2 running") && rowsWhileTraining == 2)) {
      Thread.sleep(500);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      if (Files.exists(root.resolve("studies/ext/runs.json"))) {
        new io.mechsweep.jobs.status.StatusReport(io.mechsweep.training.checkpoint.HadoopFiles.forDefaultConfiguration(),
            root.toString(), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)).print("ext");
      }
      seen = out.toString(java.nio.charset.StandardCharsets.UTF_8);
      rowsWhileTraining = seen.contains("2 running") ? rows(root.resolve("tables/runs/study=ext")) : 0;
    }
    running.join();
    assertThat(rowsWhileTraining).as("the finished pack's runs are in the runs table while the other pack trains")
        .isEqualTo(2);
    assertThat(rows(root.resolve("tables/runs/study=ext"))).isEqualTo(4);
    assertThat(study.get().code()).as(study.get().err()).isZero();
    assertThat(seen).contains("study ext (task varassign, 4 runs): 2 finished, 2 running, 0 failed, 0 pending")
        .containsPattern("running: steps=4000 seed=1 \\(\\w+, pack ext-d2-s2-0\\): (step \\d+ of 4000, \\d+ ms/step,"
            + " about .* left|checkpoint at step \\d+ of 4000)");
  }

  /** The first value of a query's CSV result. */
  private static String csvFirst(Path root, String query) {
    MainTest.Run r = run("sql", "--root", root.toString(), "--format", "csv", query);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().toList().get(1);
  }

  /** Rows of a table partition, from its Parquet footers (the study's own Spark session is busy training). */
  private static long rows(Path partition) throws java.io.IOException {
    if (!Files.isDirectory(partition)) {
      return 0;
    }
    long n = 0;
    try (var files = Files.list(partition)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
            .fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.conf.Configuration()))) {
          n += reader.getRecordCount();
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException swappedOut) {
          return 0; // the partition was replaced while it was listed: read again next time
        }
      }
    }
    return n;
  }
}
