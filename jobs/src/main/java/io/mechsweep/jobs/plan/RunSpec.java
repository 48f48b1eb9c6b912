package io.mechsweep.jobs.plan;

import io.mechsweep.analysis.tables.RunConfig;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import java.io.Serializable;

/**
 * One fully resolved run of a study grid.
 *
 * @param runId stable hash of {@link #config}: equal configs share checkpoints and results
 * @param grid the plain config of the run's sweep point ({@link StudyConfig#gridPoints}): its model
 *     and training settings
 * @param name what tells the run apart from the study's others, e.g. {@code gamma=0.8 seed=3} ({@link RunNames})
 */
public record RunSpec(String runId, GridPoint point, RunConfig config, StudyConfig grid, String name)
    implements Serializable {

  public MemberSpec member() {
    return new MemberSpec(runId, point.seed(), point.init(), point.peakLr(), point.weightDecay(),
        point.dataVariant(), point.initFrom() == null ? null : SourceCheckpoint.parse(point.initFrom()), name);
  }

  RunSpec named(String runName) {
    return new RunSpec(runId, point, config, grid, runName);
  }
}
