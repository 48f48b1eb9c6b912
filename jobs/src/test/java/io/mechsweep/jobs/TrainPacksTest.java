package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training without Spark: export-packs writes a bundle, train-packs trains it in a JVM whose
 * classpath holds only the jars a GPU machine gets (training/standalone-artifacts.txt: no Spark,
 * no Hadoop, no Scala), and a study over the results it brought back trains nothing and builds its tables,
 * probes and report from them. The results come back as from a GPU machine: bin/gpu-check's
 * pack phase and import. The runs' loss curves equal those Spark's tasks train.
 */
class TrainPacksTest {
  private static final Path REPO = Path.of(System.getProperty("mechsweep.repo", ".."));
  private static final String CONFIG = StudyConfigParserTest.TINY.replace("depth: [1, 2]", "depth: [2]");

  @TempDir Path tmp;

  @Test
  void packsTrainedWithoutSparkAreTheStudysRuns() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, CONFIG);
    Path root = tmp.resolve("root");
    Path bundle = tmp.resolve("bundle");

    MainTest.Run export = mechsweep("export-packs", config.toString(), "--root", root.toString(), "--out",
        bundle.toString(), "--catalog", "none");
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.out()).contains("export-packs: 4 of 4 runs unfinished, in 2 packs of up to 3");
    JsonNode manifest = new ObjectMapper().readTree(bundle.resolve("manifest.json").toFile());
    assertThat(manifest.path("runs").asInt()).isEqualTo(4);
    assertThat(manifest.path("packs")).hasSize(2);

    Path work = tmp.resolve("gpu-check-work");
    Path gpuRoot = work.resolve("sweep"); // where bin/gpu-check's sweep phase trains
    ChildProcess trained = trainPacks(bundle, "--root", gpuRoot.toString(), "--device", "cpu", "--threads", "1");
    assertThat(trained.code()).as(trained.output()).isZero();
    assertThat(trained.output()).contains("train-packs: study tiny, 2 packs (4 runs)")
        .containsPattern("pack 0 tiny-d2-0: K = 3, [0-9.]+ ms/step, [0-9.]+ ms per run-step on cpu\\(\\)")
        .contains("train-packs: 4 run(s) finished, 0 failed");

    // Again: every run has its result, nothing trains.
    ChildProcess again = trainPacks(bundle, "--root", gpuRoot.toString(), "--device", "cpu");
    assertThat(again.output()).contains("every run already has a result").contains("0 run(s) finished, 0 failed");

    // For benchmarks (bin/gpu-check's speed phase): every run trains again, and nothing is written.
    Map<String, Long> before = sizes(tmp);
    ChildProcess timed = trainPacks(bundle, "--timing-only", "--device", "cpu", "--threads", "1");
    assertThat(timed.code()).as(timed.output()).isZero();
    assertThat(timed.output()).containsPattern("pack 1 tiny-d2-1: 1 run, 12 steps; tensors [0-9.]+ [KMG]iB: 1 × ")
        .containsPattern("pack 1 tiny-d2-1: K = 1, [0-9.]+ ms/step")
        .contains("train-packs: 4 run(s) finished, 0 failed; timing only, nothing written.");
    assertThat(sizes(tmp)).as("files under the test's directory").isEqualTo(before);

    // The way back from a GPU machine: bin/gpu-check's pack phase (every result and the last
    // checkpoint's parameters, without the optimizer state, as tar parts) and its import.
    Path returned = tmp.resolve("returned");
    ChildProcess packed = command(Map.of("GPU_CHECK_PHASES", "pack", "GPU_CHECK_WORK", work.toString(),
        "OUT", returned.toString()), REPO.resolve("bin/gpu-check").toString(), "run", tmp.toString());
    assertThat(packed.code()).as(packed.output()).isZero();
    assertThat(packed.output()).contains("gpu-check: sweep: 4 result(s), 4 checkpoint(s)");
    try (Stream<Path> files = Files.list(returned)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactly("gpu-check.log", "sweep.tar.gz.part-0");
    }
    // What does not fit the budget stays behind, the last run's parameters first, and says so.
    long whole = Files.size(returned.resolve("sweep.tar.gz.part-0"));
    Path smaller = tmp.resolve("returned-smaller");
    ChildProcess tight = command(Map.of("GPU_CHECK_PHASES", "pack", "GPU_CHECK_WORK", work.toString(),
        "OUT", smaller.toString(), "GPU_CHECK_SWEEP_BUDGET", Long.toString(whole - 1)),
        REPO.resolve("bin/gpu-check").toString(), "run", tmp.toString());
    assertThat(tight.code()).as(tight.output()).isZero();
    assertThat(tight.output()).containsPattern("no room for checkpoints/\\w+/step-00000012: that run comes back without")
        .contains("gpu-check: sweep: 4 result(s), 3 checkpoint(s)");
    assertThat(Files.size(smaller.resolve("sweep.tar.gz.part-0"))).isLessThan(whole);
    // A sweep whose runs all failed before a checkpoint still brings back their results (the reasons).
    Path failedWork = tmp.resolve("failed-work");
    RootHardeningTest.copyTree(gpuRoot.resolve("results"), failedWork.resolve("sweep/results"));
    ChildProcess noCheckpoints = command(Map.of("GPU_CHECK_PHASES", "pack", "GPU_CHECK_WORK", failedWork.toString(),
        "OUT", tmp.resolve("returned-results").toString()), REPO.resolve("bin/gpu-check").toString(), "run", tmp.toString());
    assertThat(noCheckpoints.code()).as(noCheckpoints.output()).isZero();
    assertThat(noCheckpoints.output()).contains("gpu-check: sweep: 4 result(s), 0 checkpoint(s)");
    ChildProcess imported = command(Map.of(), REPO.resolve("bin/gpu-check").toString(), "import",
        returned.toString(), "--root", root.toString());
    assertThat(imported.code()).as(imported.output()).isZero();
    assertThat(imported.output()).contains("4 result(s) and 4 checkpoint(s) in " + root);
    try (Stream<Path> files = Files.walk(root.resolve("checkpoints"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".npz")).toList())
          .hasSize(4).containsOnly("params.npz");
    }
    MainTest.Run study = mechsweep("study", config.toString(), "--root", root.toString(), "--catalog", "none");
    assertThat(study.code()).as(study.err()).isZero();
    assertThat(study.out()).contains("training: 4 runs (4 already done) in 0 packs")
        .contains("probes: 4 checkpoints probed").doesNotContain("probes: skipped")
        .contains("report: " + root.resolve("reports/tiny/index.html"));

    // The same study trained by Spark's tasks (local[2]: two packs at once, one thread each).
    Path sparkRoot = tmp.resolve("spark-root");
    MainTest.Run spark = mechsweep("study", config.toString(), "--root", sparkRoot.toString(), "--catalog", "none");
    assertThat(spark.code()).as(spark.err()).isZero();
    try (Stream<Path> results = Files.list(gpuRoot.resolve("results"))) {
      for (Path result : results.toList()) {
        JsonNode ours = new ObjectMapper().readTree(result.toFile());
        JsonNode theirs = new ObjectMapper().readTree(sparkRoot.resolve("results").resolve(result.getFileName()).toFile());
        assertThat(losses(ours)).as("loss curve of %s", result.getFileName()).hasSize(6).isEqualTo(losses(theirs));
        assertThat(ours.path("evals")).isEqualTo(theirs.path("evals"));
      }
    }
  }

  @Test
  void aDamagedBundleOrAMissingGpuIsRefusedInOneLine() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, CONFIG);
    Path bundle = tmp.resolve("bundle");
    MainTest.Run export = mechsweep("export-packs", config.toString(), "--root", tmp.resolve("root").toString(),
        "--out", bundle.toString(), "--catalog", "none");
    assertThat(export.code()).as(export.err()).isZero();

    ChildProcess gpu = trainPacks(bundle, "--root", tmp.resolve("out").toString(), "--device", "gpu:0");
    assertThat(gpu.code()).isEqualTo(2);
    assertThat(gpu.output()).contains("--device: got gpu:0 but libtorch 2.7.1 sees 0 GPUs");

    ChildProcess reference = trainPacks(bundle, "--reference-inputs", tmp.resolve("ref").toString());
    assertThat(reference.code()).isEqualTo(2);
    assertThat(reference.output()).contains("--reference-inputs: the bundle has 4 runs and the reference trains one");

    ChildProcess timedWithRoot = trainPacks(bundle, "--timing-only", "--root", tmp.resolve("out").toString());
    assertThat(timedWithRoot.code()).isEqualTo(2);
    assertThat(timedWithRoot.output()).contains("--root: not used with --timing-only, which trains every run from the"
        + " start and writes nothing; drop one of them");

    ChildProcess timedWithDeadline = trainPacks(bundle, "--timing-only", "--stop-after", "100");
    assertThat(timedWithDeadline.code()).isEqualTo(2);
    assertThat(timedWithDeadline.output()).contains("--stop-after: not used with --timing-only");
    ChildProcess noTime = trainPacks(bundle, "--root", tmp.resolve("out").toString(), "--stop-after", "0");
    assertThat(noTime.code()).isEqualTo(2);
    assertThat(noTime.output()).contains("--stop-after: got 0; give the seconds train-packs may take, a positive number");

    ChildProcess packs = trainPacks(bundle, "--root", tmp.resolve("out").toString(), "--packs", "5");
    assertThat(packs.code()).isEqualTo(2);
    assertThat(packs.output()).contains("--packs: got 5; allowed: 0..1 (the bundle has 2 packs)");

    Path data = bundle.resolve("packs.bin.gz");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(data, bytes);
    ChildProcess corrupt = trainPacks(bundle, "--root", tmp.resolve("out").toString());
    assertThat(corrupt.code()).isEqualTo(2);
    assertThat(corrupt.output()).contains("pack bundle " + bundle + " is corrupt: packs.bin.gz")
        .contains("does not match the SHA-256 in manifest.json");
    Files.delete(bundle.resolve("manifest.json"));
    ChildProcess partial = trainPacks(bundle, "--root", tmp.resolve("out").toString());
    assertThat(partial.code()).isEqualTo(2);
    assertThat(partial.output()).contains("not a complete pack bundle: " + bundle.resolve("manifest.json") + " is missing");
    assertThat(tmp.resolve("out")).as("nothing was trained").doesNotExist();
  }

  /** Every file under a directory with its size. */
  private static Map<String, Long> sizes(Path dir) throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), Files.size(f));
      }
    }
    return out;
  }

  /** A mechsweep command in this JVM; its commands print their progress on System.out, captured here. */
  private static MainTest.Run mechsweep(String... args) {
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      MainTest.Run r = MainTest.run(args);
      return new MainTest.Run(r.code(), r.out() + captured.toString(StandardCharsets.UTF_8), r.err());
    } finally {
      System.setOut(stdout);
    }
  }

  /** train-packs in its own JVM on the GPU machine's jars, plus libtorch's CPU natives. */
  private ChildProcess trainPacks(Path bundle, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", standaloneClasspath(), "io.mechsweep.training.standalone.TrainPacks",
        bundle.toString()));
    cmd.addAll(Arrays.asList(args));
    return command(Map.of(), cmd.toArray(String[]::new));
  }

  /** A child process with these extra environment variables; its output and exit code. */
  private static ChildProcess command(Map<String, String> env, String... cmd) throws Exception {
    return ChildProcess.run(env, 120, List.of(cmd));
  }


  /** This test's classpath cut to the modules and artifacts train-packs ships with. */
  static String standaloneClasspath() throws IOException {
    List<String> artifacts = Files.readAllLines(REPO.resolve("training/standalone-artifacts.txt")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      boolean module = entry.matches(".*(training|datagen)[/\\\\]target[/\\\\]classes[/\\\\]?")
          || name.matches("mechsweep-(training|datagen)-.*\\.jar");
      boolean artifact = artifacts.stream().anyMatch(a -> name.matches(java.util.regex.Pattern.quote(a) + "-\\d.*\\.jar"));
      if (module || artifact || name.startsWith("pytorch-native-cpu-")) {
        kept.add(entry);
      }
    }
    assertThat(kept).as("no Spark, Hadoop or Scala").noneMatch(e -> e.matches(".*(spark|hadoop|scala).*\\.jar"));
    assertThat(kept).hasSize(artifacts.size() + 3);
    return String.join(File.pathSeparator, kept);
  }

  private static List<Double> losses(JsonNode result) {
    List<Double> out = new ArrayList<>();
    result.path("metrics").forEach(m -> out.add(m.path("loss").asDouble()));
    return out;
  }
}
