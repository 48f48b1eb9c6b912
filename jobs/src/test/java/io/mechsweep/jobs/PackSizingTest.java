package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.tasks.anchor.AnchorTask;
import io.mechsweep.training.PackMemory;
import io.mechsweep.training.PackSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    return packs(plan, data, PackSizing.Knobs.CONFIG);
  }

  private static Sized packs(StudyPlan plan, TaskData data, PackSizing.Knobs knobs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<PackSpec> packs =
        PackSizing.packs(plan, plan.runs(), data, new PrintStream(out, true, StandardCharsets.UTF_8), knobs);
    return new Sized(packs, out.toString(StandardCharsets.UTF_8));
  }

  /** The smallest GPU a refusal names for a shape. */
  private static String smallestNamed(Throwable refusal, String shape) {
    Matcher m = Pattern.compile("allowed: at least ([0-9.]+) for pack shape " + shape + ",").matcher(refusal.getMessage());
    assertThat(m.find()).as(refusal.getMessage()).isTrue();
    return m.group(1);
  }

  /** A one-run pack of the plan's shape of this depth. */
  private static PackSpec shape(StudyPlan plan, int depth) {
    return plan.packs(plan.runs(), 1).stream().filter(p -> p.model().depth() == depth).findFirst().orElseThrow();
  }

  /** The GPU, in GiB, that holds exactly {@code runs} runs of the plan's depth-2 shape. */
  private static double gibFor(int runs, StudyPlan plan, TaskData data) {
    return PackMemory.measure(shape(plan, 2), data).gpuBytesFor(runs) / (double) (1L << 30);
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
    assertThat(capped.printed()).contains(": 1 per pack (training.pack_size 1)");
  }

  @Test
  void aGpuTooSmallForOneRunIsRefusedNamingTheSmallestThatWorks() {
    StudyPlan plan = plan(String.format(Locale.ROOT, BY_MEMORY, 1));
    TaskData data = data(plan);
    Throwable tooSmall = catchThrowable(() -> packs(plan, data));
    assertThat(tooSmall).isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid study config 'tiny': training.gpu_memory_gib: got 1; allowed: at least 1.")
        .hasMessageContaining(" for pack shape tiny-d1, whose runs take ");
    // The value named is enough for that shape (rounded up, not to the nearest); a hundredth less is not.
    PackMemory d1 = PackMemory.measure(shape(plan, 1), data);
    double named = Double.parseDouble(smallestNamed(tooSmall, "tiny-d1"));
    assertThat(d1.runsFitting((long) (named * (1L << 30)))).isPositive();
    assertThat(d1.runsFitting((long) ((named - 0.01) * (1L << 30)))).isZero();

    // export-packs --gpu-memory replaces the config's field: the refusal names the option.
    assertThatThrownBy(() -> packs(plan, data, PackSizing.Knobs.EXPORT_OPTIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("study 'tiny' cannot run with these options: --gpu-memory: got 1; allowed: at least 1.");
    assertThatThrownBy(() -> plan(String.format(Locale.ROOT, BY_MEMORY, 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("training.gpu_memory_gib: got 0; allowed: a number in (0.0, 100000.0]");
  }
}
