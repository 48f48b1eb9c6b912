package io.mechsweep.jobs.plan;

import io.mechsweep.training.PackSpec;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.mimic.MimicStage;
import io.mechsweep.training.model.ModelConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runs of one pack share: the resolved model, the training settings and the mimicking
 * stage, compared as values, so any axis that changes a shape (width, batch, steps, schedule …)
 * separates packs without being listed here. Runs of different data variants never share one
 * where the task builds a different model per variant.
 *
 * @param label names the shape in pack ids: {@code d<depth>}, {@code -tied}, {@code -mimic<steps>},
 *     the variant, and {@code -s<n>} for the n-th further shape with the same label
 */
record PackShape(ModelConfig model, TrainConfig train, MimicStage mimic, String variant, String label) {
  /** Depth, tying, mimicking and variant first, so packs keep the order they had before shapes were values. */
  private static final Comparator<RunSpec> ORDER = Comparator.<RunSpec>comparingInt(r -> r.point().depth())
      .thenComparing(r -> r.point().tiedLayers()).thenComparingInt(r -> r.point().mimicSteps());

  /** {@code todo}'s runs by shape, shapes in the order their first run comes. */
  static Map<PackShape, List<RunSpec>> group(StudyPlan plan, List<RunSpec> todo) {
    boolean variantsChangeModel = plan.config().task().variantsChangeModel();
    List<RunSpec> ordered = new ArrayList<>(todo);
    ordered.sort(ORDER.thenComparing(r -> variantsChangeModel ? r.point().dataVariant() : ""));
    Map<PackShape, List<RunSpec>> byShape = new LinkedHashMap<>();
    Map<String, Integer> labelsUsed = new HashMap<>();
    Map<List<Object>, PackShape> shapes = new HashMap<>();
    for (RunSpec run : ordered) {
      String variant = variantsChangeModel ? run.point().dataVariant() : "";
      int mimicSteps = run.point().mimicSteps();
      MimicStage mimic = mimicSteps > 0 ? new MimicStage(mimicSteps, run.grid().training().mimic().lr()) : null;
      ModelConfig model = StudyPlan.modelConfig(run);
      TrainConfig train = StudyPlan.trainConfig(run);
      PackShape shape = shapes.computeIfAbsent(java.util.Arrays.asList(model, train, mimic, variant), k -> {
        String base = baseLabel(run, variant);
        int n = labelsUsed.merge(base, 1, Integer::sum);
        return new PackShape(model, train, mimic, variant, n == 1 ? base : base + "-s" + n);
      });
      byShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(run);
    }
    return byShape;
  }

  private static String baseLabel(RunSpec run, String variant) {
    GridPoint p = run.point();
    return "d" + p.depth() + (p.tiedLayers() ? "-tied" : "") + (p.mimicSteps() > 0 ? "-mimic" + p.mimicSteps() : "")
        + (variant.isEmpty() ? "" : "-" + variant);
  }

  PackSpec pack(String packId, List<RunSpec> runs) {
    return new PackSpec(packId, model, train, mimic, runs.stream().map(RunSpec::member).toList());
  }
}
