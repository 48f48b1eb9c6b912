package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.RootLock;
import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.stages.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does to a root besides running a study in it: copy it, change the config, move it,
 * query it while another JVM holds its catalog, start a second writer, point a study at a
 * read-only place. Every command goes through {@link Main#execute}, as on the command line.
 */
class RootHardeningTest {
  @TempDir Path tmp;

  /** Two runs (one γ, two seeds), a few steps: enough for every table, quick to train. */
  private static final String CONFIG = StudyConfigParserTest.TINY
      .replace("depth: [1, 2], gamma: [0.3, 0.8]", "depth: [1], gamma: [0.3]")
      + "probes: {rows_per_set: 64}\n";

  /**
   * Runs a command in its own JVM, as a user does: an embedded catalog booted in this test's JVM
   * would hold its files (and follow them when the root is moved), which a user's finished
   * command does not. Returns its exit code and everything it printed.
   */
  private static MainTest.Run cli(String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(childJava("io.mechsweep.jobs.Main", args));
    pb.redirectErrorStream(true);
    Process child = pb.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
    return new MainTest.Run(child.exitValue(), output, output);
  }

  private static final String COUNTS = "select concat('runs=', count(*), ' current=', sum(if(current_config, 1, 0)),"
      + " ' metrics_runs=', (select count(distinct run_id) from mechsweep.metrics),"
      + " ' probe_runs=', (select count(distinct run_id) from mechsweep.probes),"
      + " ' dataset_path=', (select min(path) from mechsweep.datasets)) as counts from mechsweep.runs";

  private static String counts(Path root) throws Exception {
    MainTest.Run r = cli("sql", "--root", root.toString(), COUNTS);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().filter(l -> l.contains("runs=")).findFirst().orElseThrow().replace("|", "").strip();
  }

  /** Every file and directory under a directory, with its size and modification time. */
  private static Map<String, String> listing(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (var files = Files.walk(dir)) {
      for (Path f : files.toList()) {
        out.put(dir.relativize(f).toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f));
      }
    }
    return out;
  }

  /** Copies a directory tree, keeping the files' times. */
  static void copyTree(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static long parquetFiles(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void aCopiedOrMovedRootShowsItsOwnRunsKeepsItsHistoryAndReadsWhileAnotherJvmHoldsTheCatalog() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, CONFIG);
    Path original = tmp.resolve("original");
    MainTest.Run first = cli("study", config.toString(), "--root", original.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(counts(original)).isEqualTo("runs=2 current=2 metrics_runs=2 probe_runs=2 dataset_path=datasets/anchor/"
        + datasetId(original));
    Map<String, String> originalFiles = listing(original.resolve("tables"));

    // Copy the root and change the learning rate and the probe-set size there.
    Path copy = tmp.resolve("copy");
    copyTree(original, copy);
    Path changed = tmp.resolve("changed.yaml");
    Files.writeString(changed, CONFIG.replace("peak_lr: 1.0e-3", "peak_lr: 2.0e-3").replace("rows_per_set: 64", "rows_per_set: 32"));
    MainTest.Run second = cli("study", changed.toString(), "--root", copy.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("training: 2 runs (0 already done)")
        .contains("probes.rows_per_set changed from 64 to 32 since this study last ran: probing every checkpoint again");
    assertThat(counts(copy)).as("the copy shows its own runs, old and new")
        .startsWith("runs=4 current=2 metrics_runs=4 probe_runs=4");
    assertThat(listing(original.resolve("tables"))).as("the original root is untouched").isEqualTo(originalFiles);
    String report = Files.readString(copy.resolve("reports/tiny/index.html"));
    assertThat(report).doesNotContain(original.toString());

    // Move the copy: queries answer the same, and a re-run there works and adds no file.
    Path moved = tmp.resolve("moved");
    Files.move(copy, moved);
    Map<String, String> beforeQuery = listing(moved);
    assertThat(counts(moved)).startsWith("runs=4 current=2 metrics_runs=4 probe_runs=4");
    assertThat(listing(moved)).as("a query writes nothing under the root").isEqualTo(beforeQuery);
    long probeFiles = parquetFiles(moved.resolve("tables/probes"));
    MainTest.Run again = cli("study", changed.toString(), "--root", moved.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("training: 2 runs (2 already done)").contains("probes: nothing new to probe");
    assertThat(parquetFiles(moved.resolve("tables/probes"))).as("a no-op re-run writes no probe file").isEqualTo(probeFiles);

    // Another JVM queries the root while this one holds its embedded (Derby) catalog open.
    try (SparkSession writer = SparkSessions.create("holder", moved.toString(), SparkSessions.Catalog.EMBEDDED, Map.of())) {
      writer.sql("show tables in mechsweep").collectAsList(); // boots Derby on the moved root in this JVM
      MainTest.Run query = cli("sql", "--root", moved.toString(), COUNTS);
      assertThat(query.code()).as(query.out()).isZero();
      String output = query.out();
      assertThat(output).contains("runs=4 current=2 metrics_runs=4 probe_runs=4").doesNotContain("XSDB6");
    }
  }

  private static String datasetId(Path root) throws Exception {
    try (var ids = Files.list(root.resolve("datasets/anchor"))) {
      return ids.findFirst().orElseThrow().getFileName().toString();
    }
  }

  /** A command line starting another JVM with this one's class path and module options. */
  private static List<String> childJava(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-Dai.djl")) {
        command.add(arg);
      }
    }
    command.add("-Xmx2g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void aSecondWriterStopsAtOnceNamingTheHolderAndAStaleLockIsTakenOver() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, CONFIG);
    Path root = tmp.resolve("busy");
    try (RootLock held = RootLock.acquire(root.toString(), "study", System.out)) {
      MainTest.Run second = MainTest.run("study", config.toString(), "--root", root.toString());
      assertThat(second.code()).isEqualTo(2);
      assertThat(second.err().strip().lines()).hasSize(1);
      assertThat(second.err()).startsWith("mechsweep: root " + root + " is in use by `mechsweep study` (pid "
          + ProcessHandle.current().pid() + " on ").contains("since 20").contains("wait for it to finish or stop it");
    }
    assertThat(root.resolve(RootLock.FILE)).as("released").doesNotExist();

    // A lock left by a killed command (its process is gone) is taken over, saying whose it was.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(root.resolve(RootLock.FILE), "{\"pid\":" + gone.pid() + ",\"host\":\""
        + java.net.InetAddress.getLocalHost().getHostName() + "\",\"command\":\"study\",\"since\":\"2026-01-01T00:00:00Z\"}");
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (RootLock taken = RootLock.acquire(root.toString(), "train", new PrintStream(said, true, StandardCharsets.UTF_8))) {
      assertThat(said.toString(StandardCharsets.UTF_8)).contains("taking over the stale lock of `mechsweep study` (pid "
          + gone.pid()).contains("no longer running");
      assertThat(Files.readString(root.resolve(RootLock.FILE))).contains("\"command\":\"train\"");
    }
  }

  @Test
  void aReadOnlyRootExitsWithTwoInOneLine() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, CONFIG);
    // /proc refuses new directories to every user, the superuser too (chmod would not stop root).
    MainTest.Run r = MainTest.run("study", config.toString(), "--root", "/proc/mechsweep-read-only-root");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("mechsweep: root /proc/mechsweep-read-only-root is not writable (")
        .contains("choose another --root").doesNotContain("\tat ");
  }
}
