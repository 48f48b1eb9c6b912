package io.mechsweep.training.optim;

import java.io.Serializable;

/**
 * Linear warm-up from {@code startLr} to the peak over {@code warmupSteps}, then cosine decay
 * to {@code minLr} at {@code totalSteps} (the anchor paper's schedule). Peak is per run.
 */
public record LrSchedule(int warmupSteps, int totalSteps, double startLr, double minLr)
    implements Serializable {

  public LrSchedule {
    if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "need 0 ≤ warmup (" + warmupSteps + ") ≤ total steps (" + totalSteps + ")");
    }
  }

  public static LrSchedule constant(int totalSteps) {
    return new LrSchedule(0, totalSteps, Double.NaN, Double.NaN);
  }

  /** Learning rate used for the update of step {@code step} (0-based). */
  public double at(int step, double peakLr) {
    double start = Double.isNaN(startLr) ? peakLr : startLr;
    double min = Double.isNaN(minLr) ? peakLr : minLr;
    if (step < warmupSteps) {
      return start + (peakLr - start) * step / warmupSteps;
    }
    int decaySteps = totalSteps - warmupSteps;
    if (decaySteps == 0) {
      return peakLr;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return min + 0.5 * (peakLr - min) * (1 + Math.cos(Math.PI * progress));
  }
}
