package io.mechsweep.jobs;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mechsweep bench}: training ms/step of a benchmark model at several pack sizes, next to
 * the PyTorch reference of the same model measured in the same invocation.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Training speed of a benchmark model (--task anchor: the anchor quickstart model;"
        + " --task varassign: the varassign paper model): mechsweep packs of K runs against"
        + " training/python/reference.py bench (the same model and training step in PyTorch), both"
        + " measured now on this machine. Needs /usr/bin/python3 with Debian's python3-torch and"
        + " libopenblas0-pthread.")
final class Bench implements Callable<Integer> {
  /** Timed steps of the untimed warm-up pack run before the table. */
  private static final int WARMUP_STEPS = 5;

  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "anchor", converter = ModelConverter.class, paramLabel = "anchor|varassign",
      description = "Which model: anchor (d_ff 3×, d_k ½× d_model) or varassign (d_ff 4×, d_k 1×)."
          + " Default: ${DEFAULT-VALUE}.")
  TrainingBenchmark.Model task;
  @Option(names = "--d-model", defaultValue = "128", description = "Model width; d_ff and d_k follow the task.") int dModel;
  @Option(names = "--depth", defaultValue = "2", description = "Blocks.") int depth;
  @Option(names = "--batch", defaultValue = "512", description = "Sequences per step and run.") int batch;
  @Option(names = "--steps", defaultValue = "40", description = "Timed steps per measurement.") int steps;
  @Option(names = "--packs", split = ",", defaultValue = "1,8", description = "Pack sizes K.") List<Integer> packs;
  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "CPU threads to try.") List<Integer> threads;
  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch.") String python;
  @Option(names = "--reference", defaultValue = "training/python/reference.py",
      description = "The PyTorch reference script (its bench mode).") Path reference;

  /** {@code --task} by its lower-case name, refused with the allowed names. */
  static final class ModelConverter implements CommandLine.ITypeConverter<TrainingBenchmark.Model> {
    @Override
    public TrainingBenchmark.Model convert(String value) {
      try {
        return TrainingBenchmark.Model.named(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "got '" + value + "'; allowed: " + TrainingBenchmark.Model.labels());
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    if (dModel < 1 || depth < 1 || batch < 1 || steps < 1 || packs.stream().anyMatch(k -> k < 1)
        || threads.stream().anyMatch(t -> t < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--d-model, --depth, --batch, --steps, --packs and --threads must be ≥ 1");
    }
    System.out.printf(Locale.ROOT, "model: %s%n", task.describe(dModel, depth, batch));
    System.out.printf(Locale.ROOT, "machine: %s, %d cores, Java %s%n",
        cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    double baseline = Double.MAX_VALUE;
    String baselineSetting = "";
    String torchTimes = "";
    for (int t : threads) {
      JsonNode r = pytorch(t);
      double ms = r.get("ms_per_step").asDouble();
      torchTimes = r.path("times").asText();
      System.out.printf(Locale.ROOT, "pytorch %s (%s), threads %d: %.1f ms/step%n",
          r.get("torch").asText(), r.get("blas").asText(), t, ms);
      if (ms < baseline) {
        baseline = ms;
        baselineSetting = "threads " + t;
      }
    }
    System.out.printf(Locale.ROOT, "baseline: pytorch at its fastest setting (%s) = %.1f ms per run-step%n",
        baselineSetting, baseline);
    System.out.printf(Locale.ROOT, "pytorch times: %s; OPENBLAS_NUM_THREADS=1%n", torchTimes);
    Engine engine = TorchRuntime.init(threads.get(0));
    System.out.printf(Locale.ROOT,
        "mechsweep times: PackTrainer's ms/step on DJL %s, libtorch %s (CPU): each member's batch %s;"
            + " forward, cross-entropy at the last position, backward, per-run gradient norm (%s), AdamW;"
            + " %d timed steps after %d untimed, evaluation excluded; one untimed %d-step pack first warms"
            + " up the JVM%n%n",
        Engine.getDjlVersion(), engine.getVersion(), task.batches(),
        task.clipNorm() > 0 ? "clipping at " + task.clipNorm() : "no clipping", steps,
        TrainingBenchmark.UNTIMED_STEPS, WARMUP_STEPS + TrainingBenchmark.UNTIMED_STEPS);
    // The JVM's first pack pays for JIT compilation past PackTrainer's untimed steps (seen here:
    // the first of two equal measurements 25-40% slower at --steps 5); a short pack absorbs it.
    TrainingBenchmark.run(task, dModel, depth, batch, WARMUP_STEPS, packs.get(0), threads.get(0), Device.cpu());
    System.out.printf("%-4s %-8s %-12s %-16s %-10s%n", "K", "threads", "ms/step", "ms/run-step", "vs pytorch");
    for (int k : packs) {
      for (int t : threads) {
        TrainingBenchmark.Result r =
            TrainingBenchmark.run(task, dModel, depth, batch, steps, k, t, Device.cpu());
        System.out.printf(Locale.ROOT, "%-4d %-8d %-12.1f %-16.1f %.2fx%n",
            k, t, r.msPerStep(), r.msPerRunStep(), baseline / r.msPerRunStep());
      }
    }
    System.out.println("(vs pytorch > 1 means mechsweep trains more run-steps per second)");
    return 0;
  }

  /** The first "model name" of /proc/cpuinfo, or "unknown CPU" where there is none. */
  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private JsonNode pytorch(int threads) throws IOException, InterruptedException {
    if (!Files.isRegularFile(Path.of(python))) {
      throw new IOException(python + " not found: apt-get install python3-torch libopenblas0-pthread");
    }
    if (!Files.isRegularFile(reference)) {
      throw new IOException(reference + " not found: run from the repository root or pass --reference");
    }
    String config = new ObjectMapper().writeValueAsString(
        TrainingBenchmark.referenceConfig(task, dModel, depth, batch));
    List<String> cmd = new ArrayList<>(List.of(python, reference.toString(), "bench",
        "--config", config, "--steps", "" + steps, "--threads", "" + threads));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // OpenBLAS's own threads fight torch's on these small matrices; one is its fastest setting.
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("pytorch reference failed:\n" + output);
    }
    String last = output.strip().lines().reduce((a, b) -> b).orElse("{}");
    return new ObjectMapper().readTree(last);
  }
}
