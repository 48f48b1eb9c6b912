package io.mechsweep.jobs.config;

import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.NormPlacement;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A validated study: one task, a grid over (depth × initialization × peak lr × weight decay ×
 * seed) and the fixed settings every run shares; with a {@code sweep:} block, one such config per
 * sweep point ({@link #gridPoints}). Built only by {@link StudyConfigParser}.
 */
public record StudyConfig(
    String study,
    Task task,
    Model model,
    Training training,
    List<Long> seeds,
    Evaluation evaluation,
    Probes probes,
    int checkpointEvery,
    int logEvery,
    Sweep sweep,
    List<StudyConfig> points)
    implements Serializable {

  /**
   * The plain configs of the grid's points, one per {@code sweep:} point ({@link Sweep}), or this
   * config alone when it has no sweep block. Study-wide settings (name, task, pack sizing, the
   * evaluation and probe sets) are the same in every point and read from this one, the first.
   */
  public List<StudyConfig> gridPoints() {
    return points.isEmpty() ? List.of(this) : points;
  }

  /** This first point carrying the whole grid. */
  StudyConfig withGrid(Sweep s, List<StudyConfig> all) {
    return new StudyConfig(study, task, model, training, seeds, evaluation, probes, checkpointEvery, logEvery, s,
        List.copyOf(all));
  }

  /** The same study under another name (its table partitions and report): {@code --study}. */
  public StudyConfig withStudy(String name) {
    return new StudyConfig(name, task, model, training, seeds, evaluation, probes, checkpointEvery, logEvery, sweep,
        points.stream().map(p -> p.withStudy(name)).toList());
  }

  /** This study with {@code model.init_from} replaced, in every grid point, by {@code resolve} of each value. */
  public StudyConfig withInitFrom(java.util.function.UnaryOperator<String> resolve) {
    Model m = model;
    Model resolved = new Model(m.dModel(), m.dFf(), m.dK(), m.heads(), m.depths(), m.inits(), m.norm(), m.causal(),
        m.mlpRemovedLayers(), m.outputBias(), m.frozen(), m.tiedLayers(),
        m.initFrom().stream().map(v -> v == null ? null : resolve.apply(v)).toList(), m.fixedHeads());
    return new StudyConfig(study, task, resolved, training, seeds, evaluation, probes, checkpointEvery, logEvery, sweep,
        points.stream().map(p -> p.withInitFrom(resolve)).toList());
  }

  /** This study with its packs sized for a GPU of {@code gib} GiB, at most {@code maxPackSize} runs each. */
  public StudyConfig withGpuMemory(double gib, int maxPackSize) {
    Training t = training;
    Training sized = new Training(t.steps(), t.batchSize(), t.beta1(), t.beta2(), t.eps(), t.weightDecays(),
        t.peakLrs(), t.schedule(), t.warmupSteps(), t.startLr(), t.minLr(), t.clipNorm(), maxPackSize, gib, t.mimic(),
        t.patience());
    return new StudyConfig(study, task, model, sized, seeds, evaluation, probes, checkpointEvery, logEvery, sweep,
        points.stream().map(p -> p.withGpuMemory(gib, maxPackSize)).toList());
  }

  /**
   * The model family of the study; {@code depths} and {@code inits} are grid axes.
   *
   * @param inits σ = d_in^-γ per γ of {@code model.gamma}, or the fixed {@code model.init_std}
   * @param mlpRemovedLayers 0-based blocks without an MLP
   * @param frozen parameter names that keep their initial values
   * @param tiedLayers ALBERT-style weight tying per value (a grid axis)
   * @param initFrom checkpoints the encoder starts from, {@code run_id[@step]}, or null for a
   *     random start (a grid axis; [null] when the config has none)
   * @param fixedHeads the LEGO attention module: per layer, the patterns of its last heads (empty: none)
   */
  public record Model(
      int dModel,
      int dFf,
      int dK,
      int heads,
      List<Integer> depths,
      List<InitScheme> inits,
      NormPlacement norm,
      boolean causal,
      Set<Integer> mlpRemovedLayers,
      boolean outputBias,
      Set<String> frozen,
      List<Boolean> tiedLayers,
      List<String> initFrom,
      java.util.Map<Integer, List<io.mechsweep.training.model.AttentionPattern>> fixedHeads)
      implements Serializable {

    /** {@code 0:association,local 2:local}, as hashed into run ids; null when no head is fixed. */
    public String fixedHeadsText() {
      if (fixedHeads.isEmpty()) {
        return null;
      }
      return String.join(" ", new java.util.TreeMap<>(fixedHeads).entrySet().stream()
          .map(e -> e.getKey() + ":" + String.join(",", e.getValue().stream()
              .map(pattern -> pattern.name().toLowerCase(java.util.Locale.ROOT)).toList()))
          .toList());
    }
  }

  /** How the learning rate moves: the anchor paper's warm-up + cosine, or constant (varassign). */
  public enum Schedule {
    WARMUP_COSINE,
    CONSTANT
  }

  public record Training(
      int steps,
      int batchSize,
      double beta1,
      double beta2,
      double eps,
      List<Double> weightDecays,
      List<Double> peakLrs,
      Schedule schedule,
      int warmupSteps,
      double startLr,
      double minLr,
      double clipNorm,
      int packSize,
      double gpuMemoryGib,
      Mimic mimic,
      int patience)
      implements Serializable {

    /** Whether packs are sized by a GPU's memory ({@code gpu_memory_gib}) rather than {@code pack_size} alone. */
    public boolean packsByMemory() {
      return gpuMemoryGib > 0;
    }
  }

  /**
   * The attention-mimicking pre-stage (lego): {@code steps} is a grid axis, 0 = no pre-stage.
   *
   * @param lr its constant learning rate
   */
  public record Mimic(List<Integer> steps, double lr) implements Serializable {}

  /** @param maxRowsPerSet cap per evaluation set (spread evenly over its rows) */
  public record Evaluation(int everySteps, int maxRowsPerSet) implements Serializable {}

  /** @param rowsPerSet sequences per probe set for the activation probes */
  public record Probes(int rowsPerSet) implements Serializable {}
}
