package io.mechsweep.jobs.cli.bench;

import ai.djl.Device;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.training.listener.StepPhases;
import io.mechsweep.training.listener.StepPhases.Phase;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code bench --profile}: where a packed training step's time goes, phase by phase, measured
 * inside a short real training of the study's first run (its evaluation sets at the study's size)
 * at each K × threads, as a Markdown table per pack.
 */
public final class PhaseProfile {
  /** The row of the phases' sum; its share says how much of PackTrainer's step they account for. */
  public static final String TOTAL_ROW = "all phases";

  private PhaseProfile() {}

  /** @param setup the task's {@link BenchTask#profileSetup} */
  public static void print(BenchTask task, TrainingBenchmark.Setup setup, BenchOptions o, PrintStream out) {
    List<EvalSet> sets = setup.data().evalSets();
    String evalSets = sets.size() + " set" + (sets.size() == 1 ? "" : "s") + ", "
        + sets.stream().mapToInt(s -> s.table().rows()).sum() + " rows";
    TaskTiming.warmUp(setup, o);
    for (int k : o.packs()) {
      for (int t : o.threads()) {
        TrainingBenchmark.Profile p = TrainingBenchmark.profile(setup, o.steps(), k, t, Device.cpu());
        print(task, evalSets, p, out);
      }
    }
  }

  private static void print(BenchTask task, String evalSets, TrainingBenchmark.Profile p, PrintStream out) {
    TrainingBenchmark.Result r = p.result();
    StepPhases.Summary s = p.phases();
    out.printf(Locale.ROOT, "%nprofile: %s, K=%d, threads %d: %d steps after %d untimed; step %.2f ms"
            + " (PackTrainer's ms/step), %.2f ms per run-step%n",
        task.name(), r.packSize(), r.threads(), s.steps(), TrainingBenchmark.UNTIMED_STEPS, r.msPerStep(),
        r.msPerRunStep());
    out.println("| phase | ms/step | share of step |");
    out.println("|---|---:|---:|");
    for (Phase phase : Phase.values()) {
      out.println(row(phase.label, s.ms(phase), r.msPerStep()));
    }
    out.println(row(TOTAL_ROW, s.totalMs(), r.msPerStep()));
    double perEval = s.evaluationMs().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    out.printf(Locale.ROOT, "evaluation (%s): %.1f ms per evaluation (each: %s); the study evaluates every %d"
            + " steps: %.2f ms per step%n",
        evalSets, perEval, s.evaluationMs().stream().map(ms -> String.format(Locale.ROOT, "%.1f", ms))
            .collect(Collectors.joining(", ")), task.evalEvery(), perEval / task.evalEvery());
    out.printf(Locale.ROOT, "tensors made per step: %.0f (alive when the update is done; about the operations"
        + " that returned a tensor, in-place ones not counted)%n", s.tensorsPerStep());
  }

  private static String row(String name, double ms, double stepMs) {
    return String.format(Locale.ROOT, "| %s | %.2f | %.1f%% |", name, ms, 100 * ms / stepMs);
  }
}
