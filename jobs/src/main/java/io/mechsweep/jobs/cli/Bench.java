package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.cli.bench.BenchAll;
import io.mechsweep.jobs.cli.bench.BenchOptions;
import io.mechsweep.jobs.cli.bench.BenchTask;
import io.mechsweep.jobs.cli.bench.Machine;
import io.mechsweep.jobs.cli.bench.PhaseProfile;
import io.mechsweep.jobs.cli.bench.TaskTiming;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.nio.file.Path;
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
 * times exactly what a study trains. {@code --all} does so for every task's quickstart and ends
 * with one table; {@code --profile} shows where a packed step's time goes instead.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Training speed of a study's model (--task NAME: conf/studies/NAME-quickstart.yaml"
        + " of anchor, varassign, lego or topics; or --config STUDY.yaml; or --all of them): mechsweep packs of K"
        + " runs of the study's first run against training/python/reference.py bench (the same model and training"
        + " step in PyTorch), both measured now on this machine. Needs /usr/bin/python3 with Debian's"
        + " python3-torch and libopenblas0-pthread (not for --profile).")
public final class Bench implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--task", defaultValue = "anchor", paramLabel = "NAME",
      description = "Benchmark the model of NAME-quickstart.yaml in --studies. Default: ${DEFAULT-VALUE}.")
  String task;
  @Option(names = "--config", paramLabel = "STUDY.yaml",
      description = "Benchmark the first run of this study instead of the task's quickstart.") Path config;
  @Option(names = "--all",
      description = "Benchmark every task's quickstart (a task whose data needs a Spark job is left out, and"
          + " said so), then print one Markdown table: a row per task, PyTorch's best ms/step, mechsweep's ms per"
          + " run-step and speed against it at each K × threads, and the largest K over the smallest at each"
          + " thread count. Not with --task or --config.") boolean all;
  @Option(names = "--profile",
      description = "Instead of timing against PyTorch, train the pack briefly at each K × threads and print"
          + " where a step's time goes: ms/step and share of the step of batch drawing, the host → tensor copy,"
          + " forward, loss, backward, clipping + AdamW and the step's end; evaluation (the study's evaluation"
          + " sets) per evaluation; tensors made per step.") boolean profile;
  @Option(names = "--steps", defaultValue = "40", description = "Timed steps per measurement.") int steps;
  @Option(names = "--packs", split = ",", defaultValue = "1,8", description = "Pack sizes K.") List<Integer> packs;
  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "CPU threads to try.") List<Integer> threads;
  @Option(names = "--studies", defaultValue = "conf/studies", paramLabel = "DIR",
      description = "Where --task and --all find NAME-quickstart.yaml. Default: ${DEFAULT-VALUE}.") Path studies;
  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch.") String python;
  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a field of the study benchmarked (as for `study`), e.g. --set training.batch_size=64.")
  List<String> overrides = new java.util.ArrayList<>();
  @Option(names = "--reference", defaultValue = "training/python/reference.py",
      description = "The PyTorch reference script (its bench mode).") Path reference;

  /** The study's first run as a benchmark setup: its model, task data, init, lr, wd, clipping, batch. */
  public static TrainingBenchmark.Setup setup(StudyConfig c) {
    return new BenchTask(c.task().kind().name(), c).timingSetup();
  }

  private Path studyConfig() {
    if (config != null) {
      return config;
    }
    if (Tasks.byName(task).isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--task: got '" + task + "'; allowed: " + String.join(", ", Tasks.names()));
    }
    return BenchTask.quickstart(studies, task);
  }

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || packs.stream().anyMatch(k -> k < 1) || threads.stream().anyMatch(t -> t < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--steps, --packs and --threads must be ≥ 1");
    }
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    if (all && (parsed.hasMatchedOption("--task") || parsed.hasMatchedOption("--config"))) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--all and --task/--config are mutually exclusive: --all benchmarks every task's quickstart");
    }
    if (all && !overrides.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--set: not with --all, whose studies differ in their fields; give --task or --config");
    }
    BenchOptions options = new BenchOptions(steps, packs, threads, python, reference, studies);
    if (all) {
      System.out.println(Machine.line());
      BenchAll every = new BenchAll(options, System.out);
      if (profile) {
        every.profile();
      } else {
        every.time();
      }
      return 0;
    }
    BenchTask study = BenchTask.load(studyConfig(), overrides);
    TrainingBenchmark.Setup setup;
    try {
      setup = profile ? study.profileSetup() : study.timingSetup();
    } catch (UnsupportedOperationException e) { // a task whose data only a Spark job makes
      throw new CommandLine.ParameterException(spec.commandLine(), "--task: " + e.getMessage());
    }
    System.out.printf(Locale.ROOT, "model: %s%n", setup.describe());
    System.out.println(Machine.line());
    if (profile) {
      PhaseProfile.print(study, setup, options, System.out);
    } else {
      TaskTiming.measure(setup, options, System.out);
    }
    return 0;
  }
}
