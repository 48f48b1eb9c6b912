package io.mechsweep.jobs.cli.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One model's training speed: the PyTorch baseline at each thread count, then mechsweep packs at
 * each K × threads, printed as they are measured.
 */
public final class TaskTiming {
  /** Timed steps of the untimed warm-up pack run before the measurements. */
  static final int WARMUP_STEPS = 5;

  private TaskTiming() {}

  /**
   * @param baseline PyTorch at its fastest thread count
   * @param packs mechsweep at each K × threads, in the options' order
   */
  public record Result(String task, PyTorchReference.Measurement baseline, List<TrainingBenchmark.Result> packs) {
    public Optional<TrainingBenchmark.Result> at(int k, int threads) {
      return packs.stream().filter(r -> r.packSize() == k && r.threads() == threads).findFirst();
    }

    /** How many times as many run-steps per second as PyTorch: above 1, mechsweep is faster. */
    public double speedup(TrainingBenchmark.Result r) {
      return baseline.msPerStep() / r.msPerRunStep();
    }
  }

  public static Result measure(TrainingBenchmark.Setup setup, BenchOptions o, PrintStream out)
      throws IOException, InterruptedException {
    PyTorchReference torch = new PyTorchReference(o.python(), o.reference());
    List<PyTorchReference.Measurement> torchRuns = new ArrayList<>();
    for (int t : o.threads()) {
      PyTorchReference.Measurement m = torch.measure(setup, o.steps(), t);
      out.printf(Locale.ROOT, "pytorch %s (%s), threads %d: %.1f ms/step%n", m.torch(), m.blas(), t, m.msPerStep());
      torchRuns.add(m);
    }
    PyTorchReference.Measurement baseline =
        torchRuns.stream().min(Comparator.comparingDouble(PyTorchReference.Measurement::msPerStep)).orElseThrow();
    out.printf(Locale.ROOT, "baseline: pytorch at its fastest setting (threads %d) = %.1f ms per run-step%n",
        baseline.threads(), baseline.msPerStep());
    out.printf(Locale.ROOT, "pytorch times: %s; OPENBLAS_NUM_THREADS=1%n", baseline.times());
    Engine engine = TorchRuntime.init(o.threads().get(0));
    out.printf(Locale.ROOT,
        "mechsweep times: PackTrainer's ms/step on DJL %s, libtorch %s (CPU): each member's batch %s,"
            + " inside the timed step; forward, cross-entropy at the task's read positions, backward, per-run"
            + " gradient norm (%s), AdamW; %d timed steps after %d untimed, evaluation excluded; one untimed"
            + " %d-step pack first warms up the JVM%n%n",
        Engine.getDjlVersion(), engine.getVersion(), setup.data().train().describe(),
        setup.clipNorm() > 0 ? "clipping at " + setup.clipNorm() : "no clipping", o.steps(),
        TrainingBenchmark.UNTIMED_STEPS, WARMUP_STEPS + TrainingBenchmark.UNTIMED_STEPS);
    warmUp(setup, o);
    out.printf("%-4s %-8s %-12s %-16s %-10s%n", "K", "threads", "ms/step", "ms/run-step", "vs pytorch");
    Result result = new Result(setup.name(), baseline, new ArrayList<>());
    for (int k : o.packs()) {
      for (int t : o.threads()) {
        TrainingBenchmark.Result r = TrainingBenchmark.run(setup, o.steps(), k, t, Device.cpu());
        result.packs().add(r);
        out.printf(Locale.ROOT, "%-4d %-8d %-12.1f %-16.1f %.2fx%n",
            k, t, r.msPerStep(), r.msPerRunStep(), result.speedup(r));
      }
    }
    out.println("(vs pytorch > 1 means mechsweep trains more run-steps per second)");
    return new Result(result.task(), baseline, List.copyOf(result.packs()));
  }

  /**
   * The JVM's first pack pays for JIT compilation past PackTrainer's untimed steps (seen here: the
   * first of two equal measurements 25-40% slower at --steps 5); a short pack absorbs it.
   */
  static void warmUp(TrainingBenchmark.Setup setup, BenchOptions o) {
    TrainingBenchmark.run(setup, WARMUP_STEPS, o.packs().get(0), o.threads().get(0), Device.cpu());
  }
}
