package io.mechsweep.jobs.config;

import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.model.NormPlacement;
import java.io.Serializable;
import java.util.List;

/**
 * A validated study: one task, a grid over (depth × γ × peak lr × weight decay × seed) and the
 * fixed settings every run shares. Built only by {@link StudyConfigParser}.
 */
public record StudyConfig(
    String study,
    String task,
    AnchorSpec anchor,
    Model model,
    Training training,
    List<Long> seeds,
    Evaluation evaluation,
    Probes probes,
    int checkpointEvery,
    int logEvery)
    implements Serializable {

  public record Model(
      int dModel,
      int dFf,
      int dK,
      int heads,
      List<Integer> depths,
      List<Double> gammas,
      NormPlacement norm)
      implements Serializable {}

  public record Training(
      int steps,
      int batchSize,
      double beta1,
      double beta2,
      double eps,
      List<Double> weightDecays,
      List<Double> peakLrs,
      int warmupSteps,
      double startLr,
      double minLr,
      double clipNorm,
      int packSize)
      implements Serializable {}

  /**
   * @param fitThreshold seen-pair held-out-key accuracy below which a run is {@code no_fit}
   * @param mappingThreshold inferential / symmetric accuracy that decides the solution type
   */
  public record Evaluation(int everySteps, int maxRowsPerSet, double fitThreshold, double mappingThreshold)
      implements Serializable {}

  /** @param rowsPerSet sequences per probe set (seen pairs, unseen pair) for the activation probes */
  public record Probes(int rowsPerSet) implements Serializable {}
}
