package io.mechsweep.jobs.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.tasks.Tasks;
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
 * {@code mechsweep bench}: training ms/step of a study's model at several pack sizes, next to the
 * PyTorch reference of the same model measured in the same invocation. The model, its data and
 * its training come from a study config (by default the task's quickstart), so the benchmark
 * times exactly what a study trains.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Training speed of a study's model (--task NAME: conf/studies/NAME-quickstart.yaml"
        + " of anchor, varassign, lego or topics; or --config STUDY.yaml): mechsweep packs of K runs of the"
        + " study's first run against training/python/reference.py bench (the same model and training"
        + " step in PyTorch), both measured now on this machine. Needs /usr/bin/python3 with Debian's"
        + " python3-torch and libopenblas0-pthread.")
public final class Bench implements Callable<Integer> {
  /** Timed steps of the untimed warm-up pack run before the table. */
  private static final int WARMUP_STEPS = 5;
  /** Rows per evaluation set: evaluation runs only at the first and last step and is not timed. */
  private static final int EVAL_ROWS = 16;

  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "anchor", paramLabel = "NAME",
      description = "Benchmark the model of conf/studies/NAME-quickstart.yaml. Default: ${DEFAULT-VALUE}.")
  String task;
  @Option(names = "--config", paramLabel = "STUDY.yaml",
      description = "Benchmark the first run of this study instead of the task's quickstart.") Path config;
  @Option(names = "--steps", defaultValue = "40", description = "Timed steps per measurement.") int steps;
  @Option(names = "--packs", split = ",", defaultValue = "1,8", description = "Pack sizes K.") List<Integer> packs;
  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "CPU threads to try.") List<Integer> threads;
  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch.") String python;
  @Option(names = "--reference", defaultValue = "training/python/reference.py",
      description = "The PyTorch reference script (its bench mode).") Path reference;

  /** The study's first run as a benchmark setup: its model, task data, init, lr, wd, clipping, batch. */
  public static TrainingBenchmark.Setup setup(StudyConfig c) {
    StudyPlan plan = StudyPlan.of(c);
    RunSpec run = plan.runs().get(0);
    return new TrainingBenchmark.Setup(c.task().kind().name(), StudyPlan.modelConfig(run),
        c.task().generateInMemory(EVAL_ROWS), run.point().init(), run.point().peakLr(), run.point().weightDecay(),
        c.training().clipNorm(), c.training().batchSize());
  }

  private Path studyConfig() {
    if (config != null) {
      return config;
    }
    if (Tasks.byName(task).isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--task: got '" + task + "'; allowed: " + String.join(", ", Tasks.names()));
    }
    return Path.of("conf", "studies", task + "-quickstart.yaml");
  }

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || packs.stream().anyMatch(k -> k < 1) || threads.stream().anyMatch(t -> t < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--steps, --packs and --threads must be ≥ 1");
    }
    TrainingBenchmark.Setup setup;
    try {
      setup = setup(StudyConfigParser.parse(studyConfig()));
    } catch (UnsupportedOperationException e) { // a task whose data only a Spark job makes
      throw new CommandLine.ParameterException(spec.commandLine(), "--task: " + e.getMessage());
    }
    System.out.printf(Locale.ROOT, "model: %s%n", setup.describe());
    System.out.printf(Locale.ROOT, "machine: %s, %d cores, Java %s%n",
        cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    double baseline = Double.MAX_VALUE;
    String baselineSetting = "";
    String torchTimes = "";
    for (int t : threads) {
      JsonNode r = pytorch(setup, t);
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
        "mechsweep times: PackTrainer's ms/step on DJL %s, libtorch %s (CPU): each member's batch %s,"
            + " inside the timed step; forward, cross-entropy at the task's read positions, backward, per-run"
            + " gradient norm (%s), AdamW; %d timed steps after %d untimed, evaluation excluded; one untimed"
            + " %d-step pack first warms up the JVM%n%n",
        Engine.getDjlVersion(), engine.getVersion(), setup.data().train().describe(),
        setup.clipNorm() > 0 ? "clipping at " + setup.clipNorm() : "no clipping", steps,
        TrainingBenchmark.UNTIMED_STEPS, WARMUP_STEPS + TrainingBenchmark.UNTIMED_STEPS);
    // The JVM's first pack pays for JIT compilation past PackTrainer's untimed steps (seen here:
    // the first of two equal measurements 25-40% slower at --steps 5); a short pack absorbs it.
    TrainingBenchmark.run(setup, WARMUP_STEPS, packs.get(0), threads.get(0), Device.cpu());
    System.out.printf("%-4s %-8s %-12s %-16s %-10s%n", "K", "threads", "ms/step", "ms/run-step", "vs pytorch");
    for (int k : packs) {
      for (int t : threads) {
        TrainingBenchmark.Result r = TrainingBenchmark.run(setup, steps, k, t, Device.cpu());
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

  private JsonNode pytorch(TrainingBenchmark.Setup setup, int threads) throws IOException, InterruptedException {
    if (!Files.isRegularFile(Path.of(python))) {
      throw new io.mechsweep.datagen.BadInputException(python + " not found: apt-get install python3-torch libopenblas0-pthread");
    }
    if (!Files.isRegularFile(reference)) {
      throw new io.mechsweep.datagen.BadInputException(reference + " not found: run from the repository root or pass --reference");
    }
    String config = new ObjectMapper().writeValueAsString(
        TrainingBenchmark.referenceConfig(setup));
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
