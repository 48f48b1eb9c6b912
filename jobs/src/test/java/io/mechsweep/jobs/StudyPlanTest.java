package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.PackSpec;
import java.util.List;
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

    List<PackSpec> packs = plan.packs(plan.runs());
    assertThat(packs).extracting(PackSpec::size).containsExactly(3, 1, 3, 1);
    assertThat(packs).allSatisfy(p -> assertThat(p.model().depth()).isIn(1, 2));
    assertThat(packs.get(0).model().depth()).isEqualTo(1);
    assertThat(packs.get(2).model().depth()).isEqualTo(2);
  }
}
