package io.mechsweep.jobs.plan;

import io.mechsweep.analysis.tables.RunConfig;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import java.io.Serializable;

/**
 * One fully resolved run of a study grid.
 *
 * @param runId stable hash of {@link #config}: equal configs share checkpoints and results
 */
public record RunSpec(String runId, GridPoint point, RunConfig config) implements Serializable {

  public MemberSpec member() {
    return new MemberSpec(runId, point.seed(), point.init(), point.peakLr(), point.weightDecay(),
        point.dataVariant(), point.initFrom() == null ? null : SourceCheckpoint.parse(point.initFrom()));
  }
}
