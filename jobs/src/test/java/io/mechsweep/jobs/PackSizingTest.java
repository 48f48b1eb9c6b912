package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.tasks.AnchorTask;
import io.mechsweep.training.PackMemory;
import io.mechsweep.training.PackSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** training.gpu_memory_gib: packs hold as many runs of each shape as fit the GPU, at most pack_size. */
class PackSizingTest {
  private static final String BY_MEMORY = "gpu_memory_gib: %s";

  private static StudyPlan plan(String sizing) {
    return StudyPlan.of(StudyConfigParserTest.parseWith("pack_size: 3", sizing));
  }

  private static TaskData data(StudyPlan plan) {
    return new AnchorDataset(((AnchorTask) plan.config().task()).spec()).generateInMemory(100);
  }

  private record Sized(List<PackSpec> packs, String printed) {}

  private static Sized packs(StudyPlan plan, TaskData data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<PackSpec> packs = PackSizing.packs(plan, plan.runs(), data, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Sized(packs, out.toString(StandardCharsets.UTF_8));
  }

  /** The GPU, in GiB, that holds exactly {@code runs} runs of the plan's depth-2 shape. */
  private static double gibFor(int runs, StudyPlan plan, TaskData data) {
    PackSpec depth2 = plan.packs(plan.runs(), 1).stream().filter(p -> p.model().depth() == 2).findFirst().orElseThrow();
    return PackMemory.measure(depth2, data).gpuBytesFor(runs) / (double) (1L << 30);
  }

  @Test
  void eachShapeGetsAsManyRunsAsFitItsGpu() {
    StudyPlan unsized = plan("pack_size: 3");
    TaskData data = data(unsized);
    double gib = gibFor(2, unsized, data);
    StudyPlan plan = plan(String.format(Locale.ROOT, BY_MEMORY, gib));
    assertThat(plan.config().training().packSize()).isEqualTo(StudyConfigParser.MAX_PACK_SIZE);

    Sized sized = packs(plan, data);
    // Depth 1 is smaller: its 4 runs fit in one pack; depth 2's take 2 packs of 2.
    assertThat(sized.packs()).extracting(p -> p.model().depth() + ":" + p.size()).containsExactly("1:4", "2:2", "2:2");
    assertThat(sized.printed())
        .containsPattern("packs by memory: tiny-d1: [0-9.]+ [KM]iB per run \\([0-9.]+ [KM]iB \\+ 100 sequences × [0-9.]+ KiB\\),"
            + " [0-9]+ fit a [0-9.]+ GiB GPU \\(1.00 GiB reserved, 15 % kept free\\): 4 per pack")
        .contains("packs by memory: tiny-d2: ").contains(" 2 fit a ").contains(": 2 per pack\n");
    assertThat(PackSizing.upTo(plan.config().training(), sized.packs())).isEqualTo(4);

    // pack_size caps what memory allows, and says so.
    Sized capped = packs(plan(String.format(Locale.ROOT, "pack_size: 1\n  " + BY_MEMORY, gib)), data);
    assertThat(capped.packs()).extracting(PackSpec::size).containsOnly(1).hasSize(8);
    assertThat(capped.printed()).contains(": 1 per pack (training.pack_size)");
  }

  @Test
  void aGpuTooSmallForOneRunIsRefusedNamingTheSmallestThatWorks() {
    StudyPlan plan = plan(String.format(Locale.ROOT, BY_MEMORY, 1));
    assertThatThrownBy(() -> packs(plan, data(plan)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid study config 'tiny': training.gpu_memory_gib: got 1; allowed: at least 1.00 for"
            + " pack shape tiny-d1, whose runs take ");
    assertThatThrownBy(() -> plan(String.format(Locale.ROOT, BY_MEMORY, 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("training.gpu_memory_gib: got 0; allowed: a number in (0.0, 100000.0]");
  }
}
