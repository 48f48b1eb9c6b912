package io.mechsweep.jobs.plan;

import io.mechsweep.analysis.tables.RunConfig;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A study's grid expanded into runs (sweep points in order, each in {@link GridPoint#all} order),
 * named ({@link RunNames}), and grouped into packs of equal shapes ({@link PackShape}).
 */
public record StudyPlan(StudyConfig config, String datasetId, List<RunSpec> runs) {

  public static StudyPlan of(StudyConfig c) {
    String datasetId = c.task().datasetId();
    List<RunSpec> runs = new ArrayList<>();
    Map<String, String> pointOf = new HashMap<>();
    List<StudyConfig> grids = c.gridPoints();
    List<String> labels = c.sweep().isEmpty() ? null : c.sweep().points().stream().map(p -> "[" + p.label() + "] ").toList();
    for (int g = 0; g < grids.size(); g++) {
      StudyConfig grid = grids.get(g);
      String pointLabel = labels == null ? "" : labels.get(g);
      for (GridPoint point : GridPoint.all(grid)) {
        if (point.initFrom() != null && io.mechsweep.jobs.config.RunReference.parse(point.initFrom()) != null) {
          throw new io.mechsweep.datagen.BadInputException("model.init_from: '" + point.initFrom() + "' names a run by"
              + " study and name, which only a command with a root resolves (plan, generate, train, study)");
        }
        RunConfig resolved = resolved(grid, datasetId, point);
        String runId = DatasetMetadata.idOf("run", resolved);
        String where = pointLabel + "seed " + point.seed();
        String earlier = pointOf.putIfAbsent(runId, where);
        if (earlier != null) {
          throw new ConfigException(c.study() + "'s grid", List.of("sweep: " + earlier + " and " + where
              + " are the same run (an axis whose value changes nothing there, e.g. a schedule field of a constant"
              + " schedule); allowed: axes that change the runs"));
        }
        runs.add(new RunSpec(runId, point, resolved, grid, null));
      }
    }
    List<String> names = RunNames.of(runs.stream().map(RunSpec::config).toList());
    List<RunSpec> named = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      named.add(runs.get(i).named(names.get(i)));
    }
    return new StudyPlan(c, datasetId, List.copyOf(named));
  }

  /** The model of a run: its grid point's model family, wired by the task. */
  public static ModelConfig modelConfig(RunSpec run) {
    return modelConfig(run.grid(), run.point().depth(), run.point().tiedLayers(), run.point().dataVariant());
  }

  /** The config's model family at one depth, rewired by the task for the variant where it does that. */
  private static ModelConfig modelConfig(StudyConfig config, int depth, boolean tiedLayers, String variant) {
    StudyConfig.Model m = config.model();
    ModelConfig planned = new ModelConfig(
        config.task().vocabSize(), config.task().classes(), config.task().seqLen(), m.dModel(), m.dFf(),
        m.dK(), m.heads(), depth, m.norm(), m.causal(), m.mlpRemovedLayers(), m.outputBias(), m.frozen(),
        tiedLayers).withFixedHeads(m.fixedHeads());
    return config.task().model(planned, variant);
  }

  /** How a run trains: its grid point's training settings. */
  public static TrainConfig trainConfig(RunSpec run) {
    StudyConfig config = run.grid();
    StudyConfig.Training t = config.training();
    LrSchedule schedule = t.schedule() == StudyConfig.Schedule.CONSTANT
        ? LrSchedule.constant(t.steps())
        : new LrSchedule(t.warmupSteps(), t.steps(), t.startLr(), t.minLr());
    return new TrainConfig(
        t.steps(), t.batchSize(), t.beta1(), t.beta2(), t.eps(), schedule, t.clipNorm(),
        config.logEvery(), config.evaluation().everySteps(), config.checkpointEvery(), t.patience());
  }

  /**
   * The runs to train now: those without a result under the store, and with {@code retryFailed}
   * those whose result says they failed. Finished runs are never trained again.
   */
  public List<RunSpec> unfinished(RunStore store, boolean retryFailed) throws IOException {
    List<RunSpec> todo = new ArrayList<>();
    for (RunSpec run : runs) {
      if (RunStore.needsTraining(store.result(run.runId()), retryFailed)) {
        todo.add(run);
      }
    }
    return todo;
  }

  /**
   * Packs of at most {@code training.pack_size} runs among {@code todo}; the runs of a pack have
   * equal shapes ({@link PackShape}).
   */
  public List<PackSpec> packs(List<RunSpec> todo) {
    return packs(todo, config.training().packSize());
  }

  /** Packs of at most {@code size} runs: a GPU's memory, not the config, may decide how many fit. */
  public List<PackSpec> packs(List<RunSpec> todo, int size) {
    return packs(todo, shape -> size);
  }

  /**
   * Packs whose size each shape decides: {@code sizeOf} gets a one-run pack of the shape (its
   * first run) and returns how many runs of it a pack holds.
   */
  public List<PackSpec> packs(List<RunSpec> todo, ToIntFunction<PackSpec> sizeOf) {
    List<PackSpec> packs = new ArrayList<>();
    PackShape.group(this, todo).forEach(
        (shape, runs) -> {
          int size = sizeOf.applyAsInt(shape.pack(config.study() + "-" + shape.label(), runs.subList(0, 1)));
          if (size < 1) {
            throw new IllegalArgumentException("pack size " + size + " for shape " + shape.label() + ": at least 1");
          }
          for (int i = 0; i < runs.size(); i += size) {
            String packId = config.study() + "-" + shape.label() + "-" + (i / size);
            packs.add(shape.pack(packId, runs.subList(i, Math.min(runs.size(), i + size))));
          }
        });
    return packs;
  }

  private static RunConfig resolved(StudyConfig c, String datasetId, GridPoint p) {
    StudyConfig.Model m = c.model();
    StudyConfig.Training t = c.training();
    boolean constant = t.schedule() == StudyConfig.Schedule.CONSTANT;
    return new RunConfig(
        c.task().kind().name(), datasetId, m.dModel(), m.dFf(), m.dK(), m.heads(), p.depth(),
        m.norm().name().toLowerCase(Locale.ROOT), m.causal(), List.copyOf(new java.util.TreeSet<>(m.mlpRemovedLayers())),
        m.outputBias(), List.copyOf(new java.util.TreeSet<>(m.frozen())), p.gamma(), p.initStd(),
        t.steps(), t.batchSize(), t.beta1(), t.beta2(), t.eps(), p.weightDecay(), p.peakLr(),
        t.schedule().name().toLowerCase(Locale.ROOT), constant ? 0 : t.warmupSteps(),
        constant ? p.peakLr() : t.startLr(), constant ? p.peakLr() : t.minLr(), t.clipNorm(), p.seed(),
        c.evaluation().maxRowsPerSet(), c.evaluation().everySteps(), c.logEvery(), p.tiedLayers(), p.mimicSteps(),
        p.mimicSteps() > 0 ? t.mimic().lr() : null, p.initFrom(),
        TrainSource.DEFAULT_VARIANT.equals(p.dataVariant()) ? null : p.dataVariant(), c.task().runSettings(),
        t.patience(), m.fixedHeadsText());
  }
}
