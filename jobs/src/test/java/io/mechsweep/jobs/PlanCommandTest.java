package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `plan` on the paper's grid and on a grid too large to list; a bad --set before any work. */
class PlanCommandTest {
  @TempDir Path tmp;

  private static MainTest.Run run(String... args) {
    return MainTest.runPrinting(args);
  }

  @Test
  void planOnThePapersGridAnswersWithItsRunsPacksAndMemoryAndWritesNothing() {
    Path config = Path.of(System.getProperty("mechsweep.repo", ".."), "conf", "studies", "anchor-paper.yaml");
    Path root = tmp.resolve("root");
    long start = System.nanoTime();
    MainTest.Run plan = run("plan", config.toString(), "--root", root.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("axes: model.depth [2, 3, 4, 5, 6]; model.gamma [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8,"
            + " 0.9, 1.0]; seeds [1, 2, 3]")
        .contains("runs: 135; in the root: 0 done, 0 failed (--retry-failed trains them), 135 to train in 20 packs of up to 8")
        .contains("pack anchor-paper-d6-3: 3 runs (depth=6 gamma=1.0 seed=1, depth=6 gamma=1.0 seed=2, depth=6 gamma=1.0 seed=3)")
        .containsPattern("shape anchor-paper-d2: 4 packs; d_model 400, d_ff 1200, d_k 200, 1 head, depth 2; batch 2048,"
            + " 77700 steps; memory [0-9.]+ GiB per run");
    assertThat(seconds).as("a guard against a hang, not a benchmark").isLessThan(300);
    assertThat(root).as("plan writes nothing").doesNotExist();
  }

  @Test
  void aGridOfTwoMillionRunsGetsItsCountsAndAStudyOfItIsRefusedBeforeAnyWork() throws Exception {
    Path config = tmp.resolve("huge.yaml");
    Files.writeString(config, SweepConfigTest.MILLION_POINTS);
    Path root = tmp.resolve("root");
    MainTest.Run plan = run("plan", config.toString(), "--root", root.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("runs: about 2,000,000 (1000000 sweep points × 2 runs in the first one)");
    MainTest.Run study = run("study", config.toString(), "--root", root.toString(), "--catalog", "none");
    assertThat(study.code()).isEqualTo(2);
    assertThat(study.err().strip()).contains("sweep: 1000000 grid points; at most 10000").doesNotContain("\n");
    Path small = Files.writeString(tmp.resolve("small.yaml"), RunExtensionTest.STUDY);
    MainTest.Run badSet = run("study", small.toString(), "--root", root.toString(), "--set", "model.dmodel=32");
    assertThat(badSet.code()).isEqualTo(2);
    assertThat(badSet.err().strip()).contains("model.dmodel: unknown field").doesNotContain("\n");
    assertThat(root).as("nothing was started or written").doesNotExist();
  }
}
