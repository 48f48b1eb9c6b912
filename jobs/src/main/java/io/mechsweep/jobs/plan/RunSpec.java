package io.mechsweep.jobs.plan;

import io.mechsweep.training.MemberSpec;
import java.io.Serializable;
import java.util.Map;

/**
 * One fully resolved run of a study grid.
 *
 * @param runId stable hash of {@link #resolved}: equal configs share checkpoints and results
 * @param resolved every setting the run depends on, flat and ordered (recorded in tables)
 */
public record RunSpec(
    String runId,
    String datasetId,
    int depth,
    double gamma,
    double peakLr,
    double weightDecay,
    long seed,
    Map<String, Object> resolved)
    implements Serializable {

  public MemberSpec member() {
    return new MemberSpec(runId, seed, gamma, peakLr, weightDecay);
  }
}
