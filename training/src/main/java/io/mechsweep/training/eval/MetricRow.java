package io.mechsweep.training.eval;

import java.io.Serializable;

/**
 * One point of a run's training curve. {@code step} counts updates done within the stage, loss
 * is that step's.
 *
 * @param stage {@link #TRAIN} for the task's training, {@link #MIMIC} for the attention
 *     mimicking pre-stage (its own step count, before training's step 0)
 */
public record MetricRow(String runId, String stage, int step, double lr, double loss, double gradNorm)
    implements Serializable {
  public static final String TRAIN = "train";
  public static final String MIMIC = "mimic";

  public MetricRow {
    stage = stage == null ? TRAIN : stage; // rows of checkpoints written before stages existed
  }
}
