package io.mechsweep.jobs.plan;

import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.model.InitScheme;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One point of a study's grid. The axes are declared here once, in their order: depth → tied
 * layers → mimicking steps → init checkpoint → initialization → peak lr → weight decay →
 * training-data variant → seed, so seeds and neighbouring γ of one cell sit next to each other
 * (and tend to share a pack). Axes a study does not use have one value.
 *
 * @param initFrom {@code run_id[@step]} whose encoder the run starts from, or null
 * @param dataVariant the task's training-data variant ({@code TrainSource.DEFAULT_VARIANT} when
 *     the task has one)
 */
public record GridPoint(
    int depth, boolean tiedLayers, int mimicSteps, String initFrom, InitScheme init, double peakLr,
    double weightDecay, String dataVariant, long seed)
    implements Serializable {

  public static List<GridPoint> all(StudyConfig c) {
    List<GridPoint> out = new ArrayList<>();
    for (int depth : c.model().depths()) {
      for (boolean tied : c.model().tiedLayers()) {
        for (int mimic : c.training().mimic().steps()) {
          for (String initFrom : c.model().initFrom()) {
            for (InitScheme init : c.model().inits()) {
              for (double lr : c.training().peakLrs()) {
                for (double wd : c.training().weightDecays()) {
                  for (String variant : c.task().dataVariants()) {
                    for (long seed : c.seeds()) {
                      out.add(new GridPoint(depth, tied, mimic, initFrom, init, lr, wd, variant, seed));
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return List.copyOf(out);
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
