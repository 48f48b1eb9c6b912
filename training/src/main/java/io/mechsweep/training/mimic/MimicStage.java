package io.mechsweep.training.mimic;

import java.io.Serializable;

/**
 * The attention-mimicking pre-stage (LEGO paper, §4): before the task's training, every layer's
 * head 0 is trained toward the local band and head 1 toward the identical-token map (see
 * {@link AttentionTargets}), by the KL loss of {@link MimicLoss}, with AdamW at a constant lr and
 * its own optimizer state. Its curve goes to {@code metrics} with stage {@code mimic}.
 */
public record MimicStage(int steps, double lr) implements Serializable {
  public MimicStage {
    if (steps < 1 || !(lr > 0)) {
      throw new IllegalArgumentException("a mimicking stage needs steps ≥ 1 and lr > 0, got " + steps + ", " + lr);
    }
  }
}
