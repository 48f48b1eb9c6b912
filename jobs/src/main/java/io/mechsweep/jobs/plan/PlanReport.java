package io.mechsweep.jobs.plan;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.Sweep;
import io.mechsweep.training.PackMemory;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.ModelConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code mechsweep plan} prints about a study before it runs: its axes, runs and packs with
 * their shapes, which runs the root already holds, each pack shape's memory per run and, when
 * asked, the training time from a few timed steps per shape. Reads the root; writes nothing.
 */
public final class PlanReport {
  /** Timed steps per pack shape for {@code --time}, after PackTrainer's untimed ones. */
  static final int TIMED_STEPS = 5;
  /** Packs listed one per line; more are counted by shape. */
  private static final int LISTED_PACKS = 40;

  private final PrintStream out;

  public PlanReport(PrintStream out) {
    this.out = out;
  }

  /** A grid too large to list: its axes and counts from the first grid point alone. */
  public void counts(StudyConfig first) {
    long points = first.sweep().pointCount();
    int perPoint = StudyPlan.of(first.gridPoints().get(0)).runs().size();
    header(first);
    out.printf(Locale.ROOT, "runs: about %s (%d sweep points × %d runs in the first one); too many to list:"
        + " a study expands at most %d sweep points, so split this grid%n",
        String.format(Locale.ROOT, "%,d", Math.multiplyExact(points, perPoint)), points, perPoint, Sweep.MAX_POINTS);
  }

  /**
   * The whole plan.
   *
   * @param store the root's runs, or empty when the root does not exist
   * @param data the task's data in memory for the memory estimate and the timing, or empty where
   *     only a Spark job can make it (then neither is printed)
   */
  public void print(StudyPlan plan, Optional<RunStore> store, Optional<TaskData> data, boolean time, int cores)
      throws IOException {
    StudyConfig c = plan.config();
    header(c);
    Map<String, List<RunSpec>> byState = new LinkedHashMap<>();
    for (String state : List.of("done", "failed", "to train")) {
      byState.put(state, new ArrayList<>());
    }
    for (RunSpec run : plan.runs()) {
      Optional<RunOutcome> result = store.isPresent() ? store.get().result(run.runId()) : Optional.empty();
      byState.get(result.isEmpty() ? "to train" : result.get().finished() ? "done" : "failed").add(run);
    }
    List<PackSpec> packs = plan.packs(byState.get("to train"));
    out.printf(Locale.ROOT, "runs: %d; in the root: %d done, %d failed (--retry-failed trains them), %d to train"
        + " in %d packs of up to %d%n", plan.runs().size(), byState.get("done").size(), byState.get("failed").size(),
        byState.get("to train").size(), packs.size(), c.training().packSize());
    byState.get("failed").stream().limit(5).forEach(r -> out.printf("  failed: %s (%s)%n", r.name(), r.runId()));
    Map<String, PackSpec> shapes = new LinkedHashMap<>();
    Map<String, Integer> packsPerShape = new LinkedHashMap<>();
    for (PackSpec p : packs) {
      String shape = p.packId().substring(0, p.packId().lastIndexOf('-'));
      shapes.putIfAbsent(shape, p);
      packsPerShape.merge(shape, 1, Integer::sum);
    }
    if (packs.size() <= LISTED_PACKS) {
      for (PackSpec p : packs) {
        out.printf(Locale.ROOT, "  pack %s: %d runs (%s)%n", p.packId(), p.size(),
            String.join(", ", p.members().stream().map(m -> m.name()).toList()));
      }
    }
    int threads = Math.max(1, cores / Math.max(1, Math.min(cores, packs.size())));
    double seconds = 0;
    for (Map.Entry<String, PackSpec> e : shapes.entrySet()) {
      PackSpec p = e.getValue();
      out.printf(Locale.ROOT, "  shape %s: %d pack%s; %s; %s%n", e.getKey(), packsPerShape.get(e.getKey()),
          packsPerShape.get(e.getKey()) == 1 ? "" : "s", describe(p.model(), p.train()),
          data.isPresent() ? "memory " + PackMemory.measure(p, data.get()).describe() : "memory not estimated here");
      if (time && data.isPresent()) {
        double msPerStep = timedMsPerStep(p, data.get(), threads);
        double shapeSeconds = msPerStep * (p.train().steps() + (p.mimic() == null ? 0 : p.mimic().steps())) / 1e3
            * packsPerShape.get(e.getKey());
        seconds += shapeSeconds;
        out.printf(Locale.ROOT, "    time: %.1f ms per step for a pack of %d at %d thread%s (%d steps timed)"
            + " → about %s for this shape's packs%n", msPerStep, p.size(), threads, threads == 1 ? "" : "s",
            TIMED_STEPS, PackTrainer.duration(shapeSeconds));
      }
    }
    if (time && data.isPresent() && !packs.isEmpty()) {
      int atOnce = Math.min(cores, packs.size());
      out.printf(Locale.ROOT, "time: about %s of training with %d pack%s at once on %d cores (evaluation, probes"
          + " and the report not counted)%n", PackTrainer.duration(seconds / atOnce), atOnce, atOnce == 1 ? "" : "s",
          cores);
    } else if (time) {
      out.println("time: not estimated (nothing to train, or the task's data needs the Spark job)");
    }
    out.println("plan: nothing was written; `mechsweep study` runs it");
  }

  private void header(StudyConfig c) {
    out.printf("study %s: task %s, dataset %s%n", c.study(), c.task().kind().name(), c.task().datasetId());
    List<String> axes = new ArrayList<>();
    for (Sweep.Axis a : c.sweep().axes()) {
      axes.add(a.path() + " " + a.values());
    }
    listAxis(axes, "model.depth", c.model().depths());
    listAxis(axes, "model.tied_layers", c.model().tiedLayers());
    listAxis(axes, "training.mimic.steps", c.training().mimic().steps());
    listAxis(axes, "model.init_from", c.model().initFrom());
    listAxis(axes, "model.gamma", c.model().inits().stream().map(i -> i instanceof io.mechsweep.training.model.InitScheme.Gamma g
        ? (Object) g.gamma() : i).toList());
    listAxis(axes, "training.peak_lr", c.training().peakLrs());
    listAxis(axes, "training.adamw.weight_decay", c.training().weightDecays());
    listAxis(axes, "task variants", c.task().dataVariants());
    listAxis(axes, "seeds", c.seeds());
    out.println("axes: " + (axes.isEmpty() ? "none (one run)" : String.join("; ", axes))
        + (c.sweep().zips().isEmpty() ? "" : "; moving together: " + c.sweep().zips()));
  }

  private static void listAxis(List<String> axes, String name, List<?> values) {
    if (values.size() > 1) {
      axes.add(name + " " + values);
    }
  }

  private static String describe(ModelConfig m, TrainConfig t) {
    return String.format(Locale.ROOT, "d_model %d, d_ff %d, d_k %d, %d head%s, depth %d%s; batch %d, %d steps",
        m.dModel(), m.dFf(), m.dK(), m.heads(), m.heads() == 1 ? "" : "s", m.depth(), m.tiedLayers() ? " (tied)" : "",
        t.batchSize(), t.steps());
  }

  /** PackTrainer's own ms per step over a few steps of the pack, stored nowhere. */
  private static double timedMsPerStep(PackSpec p, TaskData data, int threads) {
    TorchRuntime.init(threads);
    TrainConfig t = p.train();
    int steps = TIMED_STEPS + io.mechsweep.training.bench.TrainingBenchmark.UNTIMED_STEPS;
    TrainConfig few = new TrainConfig(steps, t.batchSize(), t.beta1(), t.beta2(), t.eps(), t.schedule(), t.clipNorm(),
        steps, steps, 0);
    RunOutcome first = new PackTrainer(new PackSpec(p.packId(), p.model(), few, null, p.members()), data, null,
        ai.djl.Device.cpu()).train().get(0);
    return first.msPerStep();
  }
}
