package io.mechsweep.training;

import io.mechsweep.training.optim.LrSchedule;
import java.io.Serializable;

/**
 * How a pack trains; every member of a pack shares it (peak lr and weight decay are per member).
 *
 * @param evalEvery evaluate after every this many steps (and at step 0 and the last step)
 * @param checkpointEvery checkpoint after every this many steps (and at the last step); 0 = last only
 * @param logEvery record the training loss every this many steps
 * @param patience early stopping: a member stops after this many evaluations in a row without a
 *     new lowest cross-entropy on the first evaluation set that records one (the topics source
 *     stops after 5 epochs without one); 0 = train every step
 */
public record TrainConfig(
    int steps,
    int batchSize,
    double beta1,
    double beta2,
    double eps,
    LrSchedule schedule,
    double clipNorm,
    int logEvery,
    int evalEvery,
    int checkpointEvery,
    int patience)
    implements Serializable {

  public TrainConfig {
    if (steps < 1 || batchSize < 1 || logEvery < 1 || evalEvery < 1 || checkpointEvery < 0 || patience < 0) {
      throw new IllegalArgumentException("steps, batch, log/eval cadence must be ≥ 1: " + this);
    }
  }

  /** Training without early stopping. */
  public TrainConfig(int steps, int batchSize, double beta1, double beta2, double eps, LrSchedule schedule,
      double clipNorm, int logEvery, int evalEvery, int checkpointEvery) {
    this(steps, batchSize, beta1, beta2, eps, schedule, clipNorm, logEvery, evalEvery, checkpointEvery, 0);
  }

  public boolean isEvalStep(int step) {
    return step == 0 || step == steps || step % evalEvery == 0;
  }

  public boolean isCheckpointStep(int step) {
    return step == steps || (checkpointEvery > 0 && step % checkpointEvery == 0);
  }

  public boolean isLogStep(int step) {
    return step == steps || step % logEvery == 0;
  }
}
