package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.cli.bench.PhaseProfile;
import io.mechsweep.training.listener.StepPhases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code bench --all} and {@code bench --profile} through the command line, on every task's quickstart. */
class BenchAllTest {
  private static final List<String> TASKS = List.of("anchor", "varassign", "lego", "topics");
  /** The repository's studies and reference script: tests run in jobs/. */
  private static final String[] REPO_PATHS = {"--studies", LocalCluster.REPO.resolve("conf/studies").toString(),
      "--reference", LocalCluster.REPO.resolve("training/python/reference.py").toString()};

  /** A command as {@link MainTest#runPrinting}, with the repository's paths added. */
  private static MainTest.Run run(String... args) {
    return MainTest.runPrinting(
        java.util.stream.Stream.concat(Arrays.stream(args), Arrays.stream(REPO_PATHS)).toArray(String[]::new));
  }

  private static boolean pythonWithTorch() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return false;
    }
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  /** The Markdown row of {@code task}'s table, split into its cells. */
  private static List<String> row(String out, String first) {
    return out.lines().filter(l -> l.startsWith("| " + first + " |")).findFirst()
        .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::strip).toList())
        .orElseThrow(() -> new AssertionError("no row " + first + " in:\n" + out));
  }

  @Test
  void allWithTaskOrConfigIsRefusedInOneLineNamingBoth() {
    for (String[] args : List.of(new String[] {"bench", "--all", "--task", "lego"},
        new String[] {"bench", "--all", "--config", "conf/studies/lego-quickstart.yaml"})) {
      MainTest.Run r = run(args);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("mechsweep: ").contains("--all").contains("--task").contains("mutually exclusive");
    }
  }

  @Test
  void allTimesEveryQuickstartAgainstPyTorchInOneTable() throws Exception {
    Assumptions.assumeTrue(pythonWithTorch(), "needs /usr/bin/python3 with torch");
    MainTest.Run r = run("bench", "--all", "--steps", "1", "--packs", "1,2", "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("machine: "))).hasSize(1);
    assertThat(row(r.out(), "task")).containsExactly("task", "pytorch ms/step", "K=1 t=1 ms/run-step",
        "K=1 t=1 vs pytorch", "K=2 t=1 ms/run-step", "K=2 t=1 vs pytorch", "K=2/K=1 t=1");
    for (String task : TASKS) {
      List<String> cells = row(r.out(), task);
      assertThat(cells.get(1)).matches("[0-9.]+ \\(t=1\\)");
      double k1 = Double.parseDouble(cells.get(2));
      double k2 = Double.parseDouble(cells.get(4));
      double torch = Double.parseDouble(cells.get(1).split(" ")[0]);
      assertThat(Double.parseDouble(cells.get(3).replace("x", ""))).isCloseTo(torch / k1, within(torch / k1));
      assertThat(Double.parseDouble(cells.get(5).replace("x", ""))).isPositive();
      assertThat(Double.parseDouble(cells.get(6))).isCloseTo(k2 / k1, within(k2 / k1));
    }
    assertThat(r.out()).contains("left out: wikipedia (the wikipedia task's data comes from a Spark job");
  }

  /** Within 1% (the table rounds): the columns say what they claim to. */
  private static org.assertj.core.data.Offset<Double> within(double value) {
    return org.assertj.core.data.Offset.offset(0.01 * value + 0.005);
  }

  @Test
  void theProfileShowsEveryPhaseAndAccountsForTheStep() {
    MainTest.Run r = run("bench", "--profile", "--all", "--steps", "2", "--packs", "2", "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    Pattern header = Pattern.compile("profile: (\\w+), K=2, threads 1: 2 steps after 3 untimed; step ([0-9.]+) ms");
    Matcher m = header.matcher(r.out());
    List<String> profiled = new java.util.ArrayList<>();
    String[] sections = r.out().split("\nprofile: ");
    for (int i = 1; i < sections.length; i++) {
      assertThat(m.find()).isTrue();
      profiled.add(m.group(1));
      double step = Double.parseDouble(m.group(2));
      String section = sections[i];
      double sum = 0;
      for (StepPhases.Phase phase : StepPhases.Phase.values()) {
        List<String> cells = row(section, phase.label);
        assertThat(Double.parseDouble(cells.get(1))).as(phase.label).isNotNegative();
        sum += Double.parseDouble(cells.get(1));
      }
      assertThat(sum).as(m.group(1)).isBetween(0.5 * step, 1.05 * step);
      assertThat(Double.parseDouble(row(section, PhaseProfile.TOTAL_ROW).get(1))).isCloseTo(sum, within(sum));
      assertThat(section).containsPattern("evaluation \\([0-9]+ sets?, [0-9]+ rows\\): [0-9.]+ ms per evaluation"
          + " \\(each: [0-9.]+, [0-9.]+\\)").containsPattern("tensors made per step: [1-9][0-9]*");
    }
    assertThat(profiled).containsExactlyElementsOf(TASKS);
    assertThat(r.out()).contains("left out: wikipedia");
  }
}
