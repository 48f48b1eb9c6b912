package io.mechsweep.training;

import io.mechsweep.training.model.InitScheme;
import java.io.Serializable;

/** One run inside a pack: what differs between members of equal shapes. */
public record MemberSpec(String runId, long seed, InitScheme init, double peakLr, double weightDecay)
    implements Serializable {

  /** A member initialized with rate γ (the anchor scheme). */
  public MemberSpec(String runId, long seed, double gamma, double peakLr, double weightDecay) {
    this(runId, seed, new InitScheme.Gamma(gamma), peakLr, weightDecay);
  }
}
