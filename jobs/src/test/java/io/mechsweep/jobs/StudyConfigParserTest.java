package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.tasks.anchor.AnchorTask;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.NormPlacement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StudyConfigParserTest {
  static final String TINY = """
      study: tiny
      task: {name: anchor, seed: 3, train_keys_per_pair: 60, heldout_keys_per_pair: 12}
      model: {d_model: 16, d_ff: 32, d_k: 8, depth: [1, 2], gamma: [0.3, 0.8]}
      training:
        steps: 12
        batch_size: 32
        peak_lr: 1.0e-3
        schedule: {warmup_steps: 2}
        pack_size: 3
      seeds: [1, 2]
      evaluation: {every_steps: 6, max_rows_per_set: 100}
      checkpoints: {every_steps: 6}
      logging: {every_steps: 2}
      """;

  static io.mechsweep.jobs.config.StudyConfig parseWith(String from, String to) {
    return StudyConfigParser.parse(TINY.replace(from, to), "t");
  }

  @Test
  void shippedStudiesParse() throws Exception {
    Path studies = Path.of(System.getProperty("mechsweep.repo", ".."), "conf", "studies");
    StudyConfig quick = StudyConfigParser.parse(studies.resolve("anchor-quickstart.yaml"));
    assertThat(quick.model().inits()).contains(new InitScheme.Gamma(0.3), new InitScheme.Gamma(0.8));
    assertThat(quick.seeds()).hasSizeGreaterThanOrEqualTo(2);
    StudyConfig paper = StudyConfigParser.parse(studies.resolve("anchor-paper.yaml"));
    assertThat(paper.model().dModel()).isEqualTo(400);
    assertThat(paper.task().datasetRows()).isEqualTo(900_000);
    assertThat(paper.training().batchSize()).isEqualTo(2048);
    // The GPU check's sweep (bin/gpu-check): the paper's data, widths and batch, shortened.
    StudyConfig sweep = StudyConfigParser.parse(studies.resolve("anchor-paper-gpu-sweep.yaml"));
    assertThat(sweep.task().datasetRows()).isEqualTo(paper.task().datasetRows());
    assertThat(sweep.model().dModel()).isEqualTo(400);
    assertThat(sweep.training().batchSize()).isEqualTo(2048);
    assertThat(sweep.training().steps()).isEqualTo(4000);
    assertThat(sweep.model().inits()).hasSize(3);
    assertThat(sweep.seeds()).hasSize(2);
    // Every shipped study is a valid config (a bad one would fail only when someone runs it),
    // the GPU check's dry-run studies too.
    for (Path dir : List.of(studies, studies.resolveSibling("gpu-check"))) {
      try (Stream<Path> files = Files.list(dir)) {
        List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        assertThat(yamls).as(dir.toString()).hasSizeGreaterThanOrEqualTo(2);
        for (Path yaml : yamls) {
          assertThat(StudyConfigParser.parse(yaml).study()).as(yaml.toString()).isNotBlank();
        }
      }
    }
  }

  @Test
  void defaultsFillWhatTheConfigLeavesOut() {
    StudyConfig c = StudyConfigParser.parse(TINY, "tiny");
    assertThat(c.model().norm()).isEqualTo(NormPlacement.POST);
    assertThat(c.model().heads()).isEqualTo(1);
    assertThat(c.training().beta2()).isEqualTo(0.999);
    assertThat(c.training().weightDecays()).containsExactly(0.01);
    AnchorTask anchor = (AnchorTask) c.task();
    assertThat(anchor.spec().keyModulus()).isEqualTo(9);
    assertThat(anchor.fitThreshold()).isEqualTo(0.9);
  }

  @Test
  void everyProblemNamesFieldValueAndWhatIsAllowed() {
    String bad = TINY.replace("gamma: [0.3, 0.8]", "gamma: [0.3, -1]")
        .replace("depth: [1, 2]", "depth: [1, 2], norm: sideways")
        .replace("pack_size: 3", "pack_size: 3\n  lr_warmup: 5")
        .replace("peak_lr: 1.0e-3", "peak_lr: fast");
    assertThatThrownBy(() -> StudyConfigParser.parse(bad, "bad.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid study config bad.yaml")
        .hasMessageContaining("model.gamma: got [0.3,-1]; allowed: a number or a non-empty list of numbers in [0.0, 3.0]")
        .hasMessageContaining("model.norm: got 'sideways'; allowed: one of [post, pre, none]")
        .hasMessageContaining("training.lr_warmup: unknown field; allowed fields here:")
        .hasMessageContaining("training.peak_lr: got 'fast'; allowed:");
  }

  @Test
  void missingSectionsUnknownTasksAndImpossibleBatchesAreRefused() {
    assertThatThrownBy(() -> StudyConfigParser.parse("study: x\ntask: {name: topic}\n", "t"))
        .hasMessageContaining("task.name: got 'topic'; allowed: one of the known tasks [anchor, varassign, lego, topics, wikipedia]")
        .hasMessageContaining("model: missing section")
        .hasMessageContaining("seeds: missing");
    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("batch_size: 32", "batch_size: 5000"), "t"))
        .hasMessageContaining("training.batch_size: got 5000; allowed: at most the 900 training sequences");
    assertThatThrownBy(() -> StudyConfigParser.parse(TINY.replace("seeds: [1, 2]", "seeds: [1, 1]"), "t"))
        .hasMessageContaining("seeds: got [1, 1]; allowed: distinct integers");
    assertThatThrownBy(() -> StudyConfigParser.parse("study: [unclosed", "t"))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> StudyConfigParser.parse(Path.of("no/such/file.yaml")))
        .hasMessageContaining("file not found");
  }
}
