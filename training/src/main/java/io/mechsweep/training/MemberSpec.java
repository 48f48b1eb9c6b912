package io.mechsweep.training;

import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import io.mechsweep.training.model.InitScheme;
import java.io.Serializable;

/**
 * One run inside a pack: what differs between members of equal shapes.
 *
 * @param dataVariant which variant of the task's training data it draws ({@link TrainSource#variant})
 * @param initFrom the checkpoint whose encoder parameters replace the drawn ones, or null
 * @param name what logs call the run: the study's run name ({@code gamma=0.8 seed=3}), else its id
 */
public record MemberSpec(
    String runId, long seed, InitScheme init, double peakLr, double weightDecay, String dataVariant,
    SourceCheckpoint initFrom, String name)
    implements Serializable {

  public MemberSpec {
    dataVariant = dataVariant == null ? TrainSource.DEFAULT_VARIANT : dataVariant;
    name = name == null ? runId : name;
  }

  public MemberSpec(String runId, long seed, InitScheme init, double peakLr, double weightDecay, String dataVariant,
      SourceCheckpoint initFrom) {
    this(runId, seed, init, peakLr, weightDecay, dataVariant, initFrom, null);
  }

  public MemberSpec(String runId, long seed, InitScheme init, double peakLr, double weightDecay) {
    this(runId, seed, init, peakLr, weightDecay, TrainSource.DEFAULT_VARIANT, null);
  }

  /** A member initialized with rate γ (the anchor scheme). */
  public MemberSpec(String runId, long seed, double gamma, double peakLr, double weightDecay) {
    this(runId, seed, new InitScheme.Gamma(gamma), peakLr, weightDecay);
  }
}
