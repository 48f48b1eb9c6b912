package io.mechsweep.training.eval;

import java.io.Serializable;
import java.util.List;

/**
 * Everything a finished (or failed) run produced; the study tables are built from these.
 *
 * @param status {@link #FINISHED} or {@link #FAILED}
 * @param reason why a failed run failed; null when it finished
 * @param resumedFromStep the checkpoint this attempt started from (0 = from scratch)
 * @param trainSeconds wall time of this attempt, evaluation and checkpoints included
 * @param msPerStep mean wall time of one training step of the pack (K runs at once), without
 *     evaluation and checkpoints and without the first few steps
 * @param extendedFrom {@code run_id@step} of the shorter run this one continues, or null
 */
public record RunOutcome(
    String runId,
    String status,
    String reason,
    int finalStep,
    double finalLoss,
    int resumedFromStep,
    double trainSeconds,
    double msPerStep,
    String device,
    int packSize,
    List<MetricRow> metrics,
    List<EvalRow> evals,
    String extendedFrom)
    implements Serializable {
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";

  public boolean finished() {
    return FINISHED.equals(status);
  }
}
