package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.Bench;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.analysis.tables.RunConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.bench.TrainingBenchmark;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyPlanTest {
  @Test
  void gridExpandsToStableRunIdsAndPacksOfOneDepth() {
    StudyPlan plan = StudyPlan.of(StudyConfigParser.parse(StudyConfigParserTest.TINY, "t"));
    assertThat(plan.runs()).hasSize(2 * 2 * 2); // depth × γ × seed
    assertThat(plan.runs()).extracting(RunSpec::runId).doesNotHaveDuplicates();
    StudyPlan again = StudyPlan.of(StudyConfigParser.parse(StudyConfigParserTest.TINY, "t"));
    assertThat(again.runs()).extracting(RunSpec::runId)
        .containsExactlyElementsOf(plan.runs().stream().map(RunSpec::runId).toList());
    // The study name and pack size are not part of a run's identity; its learning rate is.
    StudyPlan renamed = StudyPlan.of(StudyConfigParser.parse(
        StudyConfigParserTest.TINY.replace("study: tiny", "study: other").replace("pack_size: 3", "pack_size: 1"), "t"));
    assertThat(renamed.runs().get(0).runId()).isEqualTo(plan.runs().get(0).runId());
    StudyPlan faster = StudyPlan.of(StudyConfigParserTest.parseWith("peak_lr: 1.0e-3", "peak_lr: 2.0e-3"));
    assertThat(faster.runs().get(0).runId()).isNotEqualTo(plan.runs().get(0).runId());
    // Settings only lego uses stay out of other tasks' hashed configs, so their run ids did not change.
    String json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(plan.runs().get(0).config()).toString();
    assertThat(json).doesNotContain("tied_layers", "mimic", "init_from", "data_variant").contains("\"peak_lr\"");

    List<PackSpec> packs = plan.packs(plan.runs());
    assertThat(packs).extracting(PackSpec::size).containsExactly(3, 1, 3, 1);
    assertThat(packs).allSatisfy(p -> assertThat(p.model().depth()).isIn(1, 2));
    assertThat(packs.get(0).model().depth()).isEqualTo(1);
    assertThat(packs.get(2).model().depth()).isEqualTo(2);
  }

  @Test
  void runsRecordTheirTypedConfigAndTheBenchmarkTrainsTheStudiesModels() throws Exception {
    Path studies = Path.of(System.getProperty("mechsweep.repo", ".."), "conf", "studies");
    StudyPlan anchor = StudyPlan.of(StudyConfigParser.parse(studies.resolve("anchor-quickstart.yaml")));
    StudyPlan varassign = StudyPlan.of(StudyConfigParser.parse(studies.resolve("varassign-paper.yaml")));
    RunConfig v = varassign.runs().get(0).config();
    assertThat(v.task()).isEqualTo("varassign");
    assertThat(v.gamma()).isNull();
    assertThat(v.initStd()).isEqualTo(0.8 / Math.sqrt(128));
    assertThat(v.mlpRemovedLayers()).containsExactly(0);
    assertThat(v.schedule()).isEqualTo("constant");
    assertThat(v.minLr()).as("a constant schedule records its one lr").isEqualTo(v.peakLr());
    assertThat(anchor.runs().get(0).config().gamma()).isEqualTo(0.3);

    // `mechsweep bench` must time the models the studies train: it takes them from the plan.
    for (StudyPlan plan : List.of(anchor, varassign)) {
      TrainingBenchmark.Setup bench = Bench.setup(plan.config());
      RunSpec run = plan.runs().get(0);
      assertThat(bench.model()).as(bench.name()).isEqualTo(StudyPlan.modelConfig(run));
      assertThat(bench.clipNorm()).isEqualTo(run.config().clipNorm());
      assertThat(bench.peakLr()).isEqualTo(run.point().peakLr());
      assertThat(bench.weightDecay()).isEqualTo(run.point().weightDecay());
      assertThat(bench.init()).isEqualTo(run.point().init());
      assertThat(bench.batch()).isEqualTo(run.config().batchSize());
    }
    assertThat(Bench.setup(varassign.config()).init()).isEqualTo(new InitScheme.FixedStd(0.8 / Math.sqrt(128)));
  }

  /** The shipped lego config that starts from the Wikipedia quickstart's encoder names that run's current id. */
  @Test
  void theWikipediaPretrainedLegoStudyStartsFromTheWikipediaQuickstartsRun() throws Exception {
    Path studies = Path.of(System.getProperty("mechsweep.repo", ".."), "conf", "studies");
    StudyPlan wikipedia = StudyPlan.of(StudyConfigParser.parse(studies.resolve("wikipedia-quickstart.yaml")));
    StudyPlan lego = StudyPlan.of(StudyConfigParser.parse(studies.resolve("lego-wikipedia-pretrained.yaml")));
    assertThat(wikipedia.runs()).hasSize(1);
    assertThat(lego.config().model().initFrom()).containsExactly(null, wikipedia.runs().get(0).runId() + ":blocks");
    assertThat(lego.config().model().dModel()).isEqualTo(wikipedia.config().model().dModel());
    assertThat(lego.config().model().depths()).isEqualTo(wikipedia.config().model().depths());
  }

  @Test
  void theOutputBiasStartsAsPyTorchsDefaultOnlyWhenAsked() {
    String torch = StudyConfigParserTest.TINY.replace("heldout_keys_per_pair: 12}",
        "heldout_keys_per_pair: 12, output_bias_init: torch_default}");
    StudyPlan plain = StudyPlan.of(StudyConfigParser.parse(StudyConfigParserTest.TINY, "tiny"));
    StudyPlan zero = StudyPlan.of(StudyConfigParser.parse(StudyConfigParserTest.TINY.replace(
        "heldout_keys_per_pair: 12}", "heldout_keys_per_pair: 12, output_bias_init: zero}"), "tiny"));
    StudyPlan drawn = StudyPlan.of(StudyConfigParser.parse(torch, "tiny"));
    assertThat(zero.runs()).extracting(RunSpec::runId).as("the default changes no run id")
        .isEqualTo(plain.runs().stream().map(RunSpec::runId).toList());
    assertThat(drawn.runs()).extracting(RunSpec::runId).doesNotContainAnyElementsOf(
        plain.runs().stream().map(RunSpec::runId).toList());

    ModelConfig model = drawn.packs(drawn.runs()).get(0).model();
    Map<String, float[]> biased = GammaInitializer.member(model, new InitScheme.Gamma(0.3), 1);
    Map<String, float[]> plainInit =
        GammaInitializer.member(plain.packs(plain.runs()).get(0).model(), new InitScheme.Gamma(0.3), 1);
    float[] bias = biased.get(Names.UNEMBED_BIAS);
    double bound = 1 / Math.sqrt(16); // d_model 16
    assertThat(bias).hasSize(model.classes());
    double spread = 0;
    for (float b : bias) {
      spread = Math.max(spread, Math.abs(b));
    }
    assertThat(spread).as("U(±1/√d_model): within the bound, and filling it").isLessThan(bound).isGreaterThan(0.9 * bound);
    assertThat(plainInit.get(Names.UNEMBED_BIAS)).containsOnly(0f);
    biased.forEach((name, values) -> {
      if (!name.equals(Names.UNEMBED_BIAS)) {
        assertThat(values).as("%s is drawn as without it", name).isEqualTo(plainInit.get(name));
      }
    });
    assertThat(GammaInitializer.member(model, new InitScheme.Gamma(0.3), 1).get(Names.UNEMBED_BIAS))
        .as("same seed, same bias").isEqualTo(bias);

    assertThatThrownBy(() -> StudyConfigParser.parse(StudyConfigParserTest.TINY.replace("heldout_keys_per_pair: 12}",
        "heldout_keys_per_pair: 12, output_bias_init: uniform}"), "tiny"))
        .hasMessageContaining("task.output_bias_init: got 'uniform'; allowed: one of");
  }
}
