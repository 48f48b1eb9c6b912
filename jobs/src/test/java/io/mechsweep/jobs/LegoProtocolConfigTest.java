package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.model.AttentionPattern;
import io.mechsweep.training.model.ModelConfig;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lego's chain-length protocols and the LEGO attention module as a researcher writes them in a config. */
class LegoProtocolConfigTest {
  private static String quickstart() throws Exception {
    return Files.readString(LocalCluster.REPO.resolve("conf/studies/lego-quickstart.yaml"));
  }

  private static StudyConfig parse(String yaml) {
    return StudyConfigParser.parse(yaml, "lego.yaml");
  }

  @Test
  void aMixtureWithLongerTestsSizesTheModelForTheLongestAndEvaluatesEveryLength() throws Exception {
    StudyConfig plain = parse(quickstart());
    StudyConfig mixed = parse(quickstart().replace("  supervised: 3\n",
        "  supervised: 3\n  train_chain_lengths: [2, 4, 6]\n  test_chain_lengths: [8, 10]\n"));
    assertThat(plain.task().seqLen()).isEqualTo(32);
    assertThat(mixed.task().seqLen()).isEqualTo(52); // [CLS] + 5·10 + [SEP]
    StudyPlan plan = StudyPlan.of(mixed);
    ModelConfig model = StudyPlan.modelConfig(plan.runs().get(0));
    assertThat(model.seqLen()).isEqualTo(52);
    TaskData data = mixed.task().generateInMemory(20);
    assertThat(data.seqLen()).isEqualTo(52);
    assertThat(data.evalSets()).extracting(e -> e.name())
        .containsExactly("test_shuffled", "test_sorted", "test_shuffled_n8", "test_shuffled_n10");
    // The dataset is another, and so is every run.
    assertThat(mixed.task().datasetId()).isNotEqualTo(plain.task().datasetId());
    assertThat(plan.runs().get(0).runId()).isNotEqualTo(StudyPlan.of(plain).runs().get(0).runId());
  }

  @Test
  void freshChainsAndACurriculumChangeTheRunsButNotTheDataset() throws Exception {
    StudyConfig fixed = parse(quickstart());
    String fresh = quickstart().replace("  supervised: 3\n", "  supervised: 3\n  train_source: fresh\n"
        + "  curriculum: [{from_step: 0, chain_lengths: [2, 3]}, {from_step: 500, chain_lengths: [2, 3, 4, 5, 6]}]\n");
    StudyConfig curriculum = parse(fresh);
    assertThat(curriculum.task().runSettings())
        .isEqualTo("train_source=fresh lengths=[2, 3] from step 0, [2, 3, 4, 5, 6] from step 500");
    assertThat(fixed.task().runSettings()).isNull();
    RunSpec a = StudyPlan.of(fixed).runs().get(0);
    RunSpec b = StudyPlan.of(curriculum).runs().get(0);
    assertThat(b.runId()).isNotEqualTo(a.runId());
    assertThat(b.config().taskSettings()).startsWith("train_source=fresh");
    // One study loads its task's data once: its runs cannot differ in how they draw it.
    assertThatThrownBy(() -> StudyConfigParser.parse(quickstart() + "sweep:\n  task.train_source: [fixed, fresh]\n",
        "sweep.yaml"))
        .hasMessageContaining("give different task settings; allowed: axes outside task");
    TaskData data = curriculum.task().generateInMemory(10);
    assertThat(data.train().fixedRows()).isEmpty();
    assertThat(data.train().stream(1, 8).batch(499).reads()).isEqualTo(6);
  }

  @Test
  void lengthProtocolMistakesNameTheirField() throws Exception {
    String base = quickstart();
    assertThatThrownBy(() -> parse(base.replace("  supervised: 3\n", "  supervised: 3\n  test_chain_lengths: [4, 8]\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("task.test_chain_lengths: got [4, 8]; allowed: lengths longer than every training chain (6)");
    assertThatThrownBy(() -> parse(base.replace("  supervised: 3\n", "  supervised: 3\n  train_chain_lengths: [4, 2]\n")))
        .hasMessageContaining("task.train_chain_lengths: got [4, 2]; allowed: increasing chain lengths");
    assertThatThrownBy(() -> parse(base.replace("  supervised: 3\n",
        "  supervised: 3\n  curriculum: [{from_step: 0, chain_lengths: [2]}]\n")))
        .hasMessageContaining("task.curriculum: got 'a curriculum'; allowed: only with task.train_source: fresh");
    assertThatThrownBy(() -> parse(base.replace("  supervised: 3\n", "  supervised: 3\n  train_source: fresh\n"
        + "  curriculum: [{from_step: 100, chain_lengths: [2]}]\n")))
        .hasMessageContaining("task.curriculum[0].from_step: got 100");
    assertThatThrownBy(() -> parse(base.replace("  supervised: 3\n", "  supervised: 4\n  train_chain_lengths: [2, 3]\n")))
        .hasMessageContaining("task.supervised: got 4; allowed: 1..3, the longest training chain");
  }

  @Test
  void fixedHeadsReachTheModelAndTheirMistakesNameTheField() throws Exception {
    String base = quickstart().replace("  tied_layers: [false, true]\n", "  tied_layers: [false]\n");
    StudyConfig lego = parse(base.replace("  heads: 4\n", "  heads: 4\n  fixed_heads: {0: [association, local], 2: [local]}\n"));
    RunSpec run = StudyPlan.of(lego).runs().get(0);
    ModelConfig model = StudyPlan.modelConfig(run);
    assertThat(model.fixedHeads()).isEqualTo(Map.of(0, List.of(AttentionPattern.ASSOCIATION, AttentionPattern.LOCAL),
        2, List.of(AttentionPattern.LOCAL)));
    assertThat(model.learnedHeads(0)).isEqualTo(2);
    assertThat(run.config().fixedHeads()).isEqualTo("0:association,local 2:local");
    assertThat(run.runId()).isNotEqualTo(StudyPlan.of(parse(base)).runs().get(0).runId());
    assertThatThrownBy(() -> parse(base.replace("  heads: 4\n", "  heads: 4\n  fixed_heads: {3: [local]}\n")))
        .hasMessageContaining("model.fixed_heads.3: got 3; allowed: a map from layer (below every depth [3])");
    assertThatThrownBy(() -> parse(base.replace("  heads: 4\n", "  heads: 4\n  fixed_heads: {0: [global]}\n")))
        .hasMessageContaining("model.fixed_heads.0: got [\"global\"]");
    assertThatThrownBy(() -> parse(quickstart().replace("  heads: 4\n", "  heads: 4\n  fixed_heads: {0: [local]}\n")))
        .hasMessageContaining("model.fixed_heads: got {\"0\":[\"local\"]}; allowed: {} when model.tied_layers is true");
  }
}
