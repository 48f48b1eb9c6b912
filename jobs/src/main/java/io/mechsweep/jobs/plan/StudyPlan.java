package io.mechsweep.jobs.plan;

import io.mechsweep.analysis.tables.RunConfig;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.mimic.MimicStage;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * A study's grid expanded into runs ({@link GridPoint#all} order), and runs grouped into packs of
 * equal shapes: packs take consecutive runs of one depth.
 */
public record StudyPlan(StudyConfig config, String datasetId, List<RunSpec> runs) {

  public static StudyPlan of(StudyConfig c) {
    String datasetId = c.task().datasetId();
    List<RunSpec> runs = new ArrayList<>();
    for (GridPoint point : GridPoint.all(c)) {
      RunConfig resolved = resolved(c, datasetId, point);
      runs.add(new RunSpec(DatasetMetadata.idOf("run", resolved), point, resolved));
    }
    return new StudyPlan(c, datasetId, List.copyOf(runs));
  }

  /** The model of a grid point. */
  public ModelConfig modelConfig(GridPoint point) {
    return modelConfig(point.depth(), point.tiedLayers(), point.dataVariant());
  }

  /** The config's model family at one depth, rewired by the task for the variant where it does that. */
  private ModelConfig modelConfig(int depth, boolean tiedLayers, String variant) {
    StudyConfig.Model m = config.model();
    ModelConfig planned = new ModelConfig(
        config.task().vocabSize(), config.task().classes(), config.task().seqLen(), m.dModel(), m.dFf(),
        m.dK(), m.heads(), depth, m.norm(), m.causal(), m.mlpRemovedLayers(), m.outputBias(), m.frozen(),
        tiedLayers);
    return config.task().model(planned, variant);
  }

  public TrainConfig trainConfig() {
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
   * Packs of at most {@code training.pack_size} runs among {@code todo}; the runs of a pack share
   * depth, layer tying and the mimicking stage ({@link GridPoint.PackKey}).
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
    Map<GridPoint.PackKey, List<RunSpec>> byKey = new TreeMap<>();
    for (RunSpec r : todo) {
      byKey.computeIfAbsent(r.point().packKey(config.task().variantsChangeModel()), d -> new ArrayList<>()).add(r);
    }
    List<PackSpec> packs = new ArrayList<>();
    byKey.forEach(
        (key, runs) -> {
          MimicStage mimic =
              key.mimicSteps() > 0 ? new MimicStage(key.mimicSteps(), config.training().mimic().lr()) : null;
          ModelConfig model = modelConfig(key.depth(), key.tiedLayers(), runs.get(0).point().dataVariant());
          int size = sizeOf.applyAsInt(
              new PackSpec(config.study() + "-" + key.label(), model, trainConfig(), mimic, List.of(runs.get(0).member())));
          if (size < 1) {
            throw new IllegalArgumentException("pack size " + size + " for shape " + key.label() + ": at least 1");
          }
          for (int i = 0; i < runs.size(); i += size) {
            List<RunSpec> members = runs.subList(i, Math.min(runs.size(), i + size));
            String packId = config.study() + "-" + key.label() + "-" + (i / size);
            packs.add(new PackSpec(packId, model, trainConfig(), mimic, members.stream().map(RunSpec::member).toList()));
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
        t.patience());
  }
}
