package io.mechsweep.jobs.plan;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.PackMemory;
import io.mechsweep.training.PackSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * How many runs a pack holds: {@code training.pack_size}, or, with {@code training.gpu_memory_gib},
 * as many runs of each model shape as fit a GPU of that memory ({@link PackMemory}: one training
 * step measured on this machine's CPU), at most {@code pack_size}.
 */
public final class PackSizing {
  private PackSizing() {}

  /**
   * The settings that size packs by the names the user gave them: the study config's fields, or
   * export-packs' options (which replace them for that command), so that lines and errors name those.
   */
  public record Knobs(String memory, String cap, boolean commandOptions) {
    public static final Knobs CONFIG = new Knobs("training.gpu_memory_gib", "training.pack_size", false);
    public static final Knobs EXPORT_OPTIONS = new Knobs("--gpu-memory", "--pack-size", true);

    /** A refused value: the config is invalid, or (options) the config is fine and the options are not. */
    ConfigException refuse(String study, String problem) {
      return commandOptions ? ConfigException.inOptions(study, List.of(problem))
          : new ConfigException("'" + study + "'", List.of(problem));
    }
  }

  /** The packs {@code todo} trains in, each shape's size printed to {@code out} when sized by memory. */
  public static List<PackSpec> packs(StudyPlan plan, List<RunSpec> todo, TaskData data, PrintStream out) {
    return packs(plan, todo, data, out, Knobs.CONFIG);
  }

  /** The same, with the settings named as {@code knobs} says. */
  public static List<PackSpec> packs(StudyPlan plan, List<RunSpec> todo, TaskData data, PrintStream out, Knobs knobs) {
    StudyConfig.Training training = plan.config().training();
    if (!training.packsByMemory()) {
      return plan.packs(todo);
    }
    long gpuBytes = (long) (training.gpuMemoryGib() * (1L << 30));
    return plan.packs(todo, shape -> {
      PackMemory memory = PackMemory.measure(shape, data);
      int fit = memory.runsFitting(gpuBytes);
      if (fit == 0) {
        // Rounded up: the smallest value shown must itself be enough.
        double smallest = Math.ceil(memory.gpuBytesFor(1) / (double) (1L << 30) * 100) / 100;
        throw knobs.refuse(plan.config().study(), String.format(Locale.ROOT,
            "%s: got %s; allowed: at least %.2f for pack shape %s, whose runs take %s"
                + " (measured; %s reserved, %.0f %% kept free)", knobs.memory(), number(training.gpuMemoryGib()),
            smallest, shape.packId(), memory.describe(),
            PackMemory.size(PackMemory.GPU_RESERVE_BYTES), 100 * PackMemory.GPU_HEADROOM));
      }
      int size = Math.min(fit, training.packSize());
      out.printf(Locale.ROOT, "packs by memory: %s: %s, %d fit a %s GiB GPU (%s reserved, %.0f %% kept free):"
          + " %d per pack%s%n", shape.packId(), memory.describe(), fit, number(training.gpuMemoryGib()),
          PackMemory.size(PackMemory.GPU_RESERVE_BYTES), 100 * PackMemory.GPU_HEADROOM, size,
          size < fit ? " (" + knobs.cap() + " " + size + ")" : "");
      return size;
    });
  }

  /** The "up to" of a line about {@code packs}: pack_size, or the largest pack when sized by memory. */
  public static int upTo(StudyConfig.Training training, List<PackSpec> packs) {
    return training.packsByMemory() ? packs.stream().mapToInt(PackSpec::size).max().orElse(0) : training.packSize();
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
