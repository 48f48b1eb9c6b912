package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.PackSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep block and --set make any single-valued field a grid axis, with field-named errors. */
class SweepConfigTest {
  static final String SWEPT = RunExtensionTest.STUDY + """
      sweep:
        model.d_model: [16, 32]
        training.batch_size: [16, 32]
      """;

  /** Six axes of ten values: a million sweep points of two runs each. */
  static final String MILLION_POINTS = RunExtensionTest.STUDY + """
      sweep:
        training.steps: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
        training.batch_size: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        training.peak_lr: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        training.clip_norm: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        training.adamw.beta1: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
        training.adamw.eps: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void aGridOverWidthAndBatchMakesShapeSeparatedPacksWithTheIdsOfPlainConfigs() throws Exception {
    StudyPlan plan = StudyPlan.of(StudyConfigParser.parse(write(SWEPT), List.of()));
    assertThat(plan.runs()).hasSize(8); // 2 widths × 2 batches × 2 seeds
    List<PackSpec> packs = plan.packs(plan.runs());
    assertThat(packs).hasSize(4).allSatisfy(p -> assertThat(p.size()).isEqualTo(2));
    for (PackSpec p : packs) {
      Set<Integer> widths = p.members().stream().map(m -> run(plan, m.runId()).config().dModel()).collect(Collectors.toSet());
      Set<Integer> batches = p.members().stream().map(m -> run(plan, m.runId()).config().batchSize()).collect(Collectors.toSet());
      assertThat(widths).hasSize(1).containsExactly(p.model().dModel());
      assertThat(batches).hasSize(1).containsExactly(p.train().batchSize());
    }
    // A swept run has the id it has with the value written in the YAML: existing ids do not change.
    StudyPlan plain = StudyPlan.of(StudyConfigParser.parse(write(RunExtensionTest.STUDY
        .replace("d_model: 16", "d_model: 32").replace("batch_size: 32", "batch_size: 16")), List.of()));
    assertThat(plan.runs()).extracting(RunSpec::runId).containsAll(plain.runs().stream().map(RunSpec::runId).toList());
    // Names say what varies, shortest first; every name unique.
    assertThat(plan.runs()).extracting(RunSpec::name).doesNotHaveDuplicates()
        .contains("d_model=16 batch_size=16 seed=1", "d_model=32 batch_size=32 seed=2");
  }

  @Test
  void zippedAxesMoveTogether() throws Exception {
    String zipped = RunExtensionTest.STUDY + """
        sweep:
          model.d_model: [16, 32]
          model.d_ff: [32, 64]
          zip: [[model.d_model, model.d_ff]]
        """;
    StudyPlan plan = StudyPlan.of(StudyConfigParser.parse(write(zipped), List.of()));
    assertThat(plan.runs()).extracting(r -> r.config().dModel() + "/" + r.config().dFf())
        .containsExactly("16/32", "16/32", "32/64", "32/64");
    // d_ff follows from d_model here, so names leave it out.
    assertThat(plan.runs().get(0).name()).isEqualTo("d_model=16 seed=1");
  }

  @Test
  void setChangesRunIdsAndTheRunCount() throws Exception {
    Path file = write(RunExtensionTest.STUDY);
    StudyPlan base = StudyPlan.of(StudyConfigParser.parse(file, List.of()));
    StudyPlan longer = StudyPlan.of(StudyConfigParser.parse(file, List.of("training.steps=30")));
    StudyPlan grid = StudyPlan.of(StudyConfigParser.parse(file, List.of("training.adamw.beta2=[0.99,0.999]")));
    assertThat(base.runs()).hasSize(2);
    assertThat(longer.runs()).hasSize(2).allSatisfy(r -> assertThat(r.config().steps()).isEqualTo(30));
    assertThat(longer.runs()).extracting(RunSpec::runId).doesNotContainAnyElementsOf(
        base.runs().stream().map(RunSpec::runId).toList());
    assertThat(grid.runs()).hasSize(4);
    // beta2 0.999 is the default: those runs are the base runs.
    assertThat(grid.runs()).extracting(RunSpec::runId).containsAll(base.runs().stream().map(RunSpec::runId).toList());
    // A --set scalar replaces an axis of the sweep block on that field.
    StudyConfig one = StudyConfigParser.parse(write(SWEPT), List.of("model.d_model=16"));
    assertThat(StudyPlan.of(one).runs()).hasSize(4).allSatisfy(r -> assertThat(r.config().dModel()).isEqualTo(16));
  }

  @Test
  void badAxesAndOverridesAreOneLineNamingTheField() throws Exception {
    Path file = write(RunExtensionTest.STUDY);
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("model.dmodel=32")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("model.dmodel: unknown field");
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("model.d_model=wide")))
        .hasMessageContaining("model.d_model: got 'wide'; allowed: an integer");
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("training.pack_size=[1,2]")))
        .hasMessageContaining("sweep.training.pack_size").hasMessageContaining("no axis here");
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("model.d_model=[16,16]")))
        .hasMessageContaining("sweep.model.d_model").hasMessageContaining("distinct values");
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("steps")))
        .hasMessageContaining("--set steps: allowed: key=value");
    // A point's own problem names the point.
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("model.d_model=[16,0]")))
        .hasMessageContaining("[model.d_model=0] model.d_model: got 0");
    // A task field that changes the dataset cannot be an axis of one study.
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of("task.seed=[5,6]")))
        .hasMessageContaining("give different datasets");
    // An axis that changes nothing makes the same runs twice.
    assertThatThrownBy(() -> StudyPlan.of(StudyConfigParser.parse(file, List.of("training.mimic.lr=[0.001,0.002]"))))
        .hasMessageContaining("are the same run");
    for (String set : List.of("model.dmodel=32", "training.pack_size=[1,2]", "model.d_model=[16,16]")) {
      assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of(set)))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void aGridOfAMillionPointsIsCountedNotExpanded() throws Exception {
    Path file = write(MILLION_POINTS);
    long start = System.nanoTime();
    StudyConfig first = StudyConfigParser.parseFirst(file, List.of());
    assertThat(first.sweep().pointCount()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> StudyConfigParser.parse(file, List.of()))
        .hasMessageContaining("sweep: 1000000 grid points; at most 10000");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds, not a hang").isLessThan(30);
  }

  private static RunSpec run(StudyPlan plan, String id) {
    return plan.runs().stream().filter(r -> r.runId().equals(id)).findFirst().orElseThrow();
  }
}
