package io.mechsweep.training.listener;

import io.mechsweep.training.PackMember;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.eval.EvalRow;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members whose held-out cross-entropy has not improved for {@code patience} evaluations stop
 * at that evaluation: their learning rate is 0 from then on, their last checkpoint is that step,
 * and their result ends there. The pack ends when every member has stopped or failed.
 */
public final class EarlyStop implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class); // the pack's log, as before

  private final PackSpec pack;
  /** The evaluation set watched: the first that records a loss ("" when none does). */
  private final String lossSet;

  public EarlyStop(PackSpec pack, String lossSet) {
    this.pack = pack;
    this.lossSet = lossSet;
  }

  @Override
  public void onEval(int step, List<PackMember> members) {
    for (PackMember m : members) {
      if (!m.training()) {
        continue;
      }
      for (int i = m.evals().size() - 1; i >= 0 && m.evals().get(i).step() == step; i--) {
        EvalRow r = m.evals().get(i);
        if (r.metric().equals(EvalRow.CROSS_ENTROPY) && r.evalSet().equals(lossSet)
            && m.stopping().observe(step, r.value())) {
          LOG.info(String.format(Locale.ROOT, "pack %s: run %s stops early at step %d: no lower %s"
              + " cross-entropy in %d evaluations (best %.4f at step %d)", pack.packId(), m.runId(), step,
              r.evalSet(), pack.train().patience(), m.stopping().best(), m.stopping().bestStep()));
        }
      }
    }
  }
}
