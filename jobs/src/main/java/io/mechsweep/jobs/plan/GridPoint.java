package io.mechsweep.jobs.plan;

import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.model.InitScheme;
import java.io.Serializable;
import java.util.List;

/**
 * One point of a study's grid. The axes are declared here once, in their order: depth →
 * initialization → peak lr → weight decay → seed, so seeds and neighbouring γ of one cell sit
 * next to each other (and tend to share a pack).
 */
public record GridPoint(int depth, InitScheme init, double peakLr, double weightDecay, long seed)
    implements Serializable {

  public static List<GridPoint> all(StudyConfig c) {
    return c.model().depths().stream()
        .flatMap(depth -> c.model().inits().stream()
            .flatMap(init -> c.training().peakLrs().stream()
                .flatMap(lr -> c.training().weightDecays().stream()
                    .flatMap(wd -> c.seeds().stream()
                        .map(seed -> new GridPoint(depth, init, lr, wd, seed))))))
        .toList();
  }

  /** γ when the run uses the initialization-rate scheme, else null. */
  public Double gamma() {
    return init instanceof InitScheme.Gamma g ? g.gamma() : null;
  }

  /** The fixed σ when the run uses one, else null. */
  public Double initStd() {
    return init instanceof InitScheme.FixedStd s ? s.std() : null;
  }
}
