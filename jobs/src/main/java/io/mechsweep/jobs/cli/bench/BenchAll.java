package io.mechsweep.jobs.cli.bench;

import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code bench --all}: every task's quickstart model in turn, each against its PyTorch baseline
 * measured just before it, then one {@link SummaryTable} of them all (or, with {@code --profile},
 * each task's phase profile). A task whose data only a Spark job makes is left out, and the output
 * says so and why.
 */
public final class BenchAll {
  private final BenchOptions options;
  private final PrintStream out;
  private final List<String> leftOut = new ArrayList<>();

  public BenchAll(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Times every task and prints the table at the end. */
  public void time() throws IOException, InterruptedException {
    new PyTorchReference(options.python(), options.reference()).requireInstalled(); // before any task's work
    List<TaskTiming.Result> results = new ArrayList<>();
    for (BenchTask task : tasks()) {
      TrainingBenchmark.Setup setup = setupOrLeftOut(task, task::timingSetup);
      if (setup != null) {
        out.printf("%n== %s ==%nmodel: %s%n", task.name(), setup.describe());
        results.add(TaskTiming.measure(setup, options, out));
      }
    }
    SummaryTable table = new SummaryTable(options.packs(), options.threads());
    out.printf("%nmechsweep against pytorch, every task's quickstart (%d timed steps each)%n", options.steps());
    table.lines(results).forEach(out::println);
    out.println(table.legend());
    printLeftOut();
  }

  /** Profiles every task's packed step. */
  public void profile() throws IOException {
    for (BenchTask task : tasks()) {
      TrainingBenchmark.Setup setup = setupOrLeftOut(task, task::profileSetup);
      if (setup != null) {
        out.printf("%n== %s ==%nmodel: %s%n", task.name(), setup.describe());
        PhaseProfile.print(task, setup, options, out);
      }
    }
    printLeftOut();
  }

  private List<BenchTask> tasks() throws IOException {
    List<BenchTask> tasks = new ArrayList<>();
    for (String name : Tasks.names()) {
      Path config = BenchTask.quickstart(options.studies(), name);
      if (Files.isRegularFile(config)) {
        tasks.add(BenchTask.load(config));
      } else {
        leftOut.add(name + " (no " + config + ")");
      }
    }
    return tasks;
  }

  /** The task's setup, or null where its data cannot be made without Spark (then it is left out). */
  private TrainingBenchmark.Setup setupOrLeftOut(BenchTask task, Supplier<TrainingBenchmark.Setup> setup) {
    try {
      return setup.get();
    } catch (UnsupportedOperationException e) {
      leftOut.add(task.name() + " (" + e.getMessage() + ")");
      return null;
    }
  }

  private void printLeftOut() {
    leftOut.forEach(t -> out.println("left out: " + t));
  }
}
