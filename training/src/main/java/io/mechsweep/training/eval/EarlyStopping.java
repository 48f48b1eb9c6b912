package io.mechsweep.training.eval;

import java.util.List;

/**
 * One member's early stopping on held-out cross-entropy: it stops after {@code patience}
 * evaluations in a row without a new lowest value. Its state is a function of the evaluation
 * rows alone, so a resumed run rebuilds it from the rows its checkpoint holds.
 */
public final class EarlyStopping {
  private final int patience;
  private double best = Double.POSITIVE_INFINITY;
  private int bestStep = -1;
  private int sinceBest;
  private int stoppedAt = -1;

  public EarlyStopping(int patience) {
    this.patience = patience;
  }

  /** The state after the cross-entropy rows among {@code evals} (step 0's included), in order. */
  public static EarlyStopping replay(int patience, List<EvalRow> evals) {
    EarlyStopping s = new EarlyStopping(patience);
    String set = null;
    for (EvalRow r : evals) {
      if (r.metric().equals(EvalRow.CROSS_ENTROPY) && (set == null || set.equals(r.evalSet()))) {
        set = r.evalSet();
        s.observe(r.step(), r.value());
      }
    }
    return s;
  }

  /** Records one evaluation; returns true when the member stops here. */
  public boolean observe(int step, double crossEntropy) {
    if (patience == 0 || stopped()) {
      return false;
    }
    if (crossEntropy < best) {
      best = crossEntropy;
      bestStep = step;
      sinceBest = 0;
      return false;
    }
    if (++sinceBest >= patience) {
      stoppedAt = step;
      return true;
    }
    return false;
  }

  public boolean stopped() {
    return stoppedAt >= 0;
  }

  /** The step it stopped at; -1 while it trains. */
  public int stoppedAt() {
    return stoppedAt;
  }

  public double best() {
    return best;
  }

  public int bestStep() {
    return bestStep;
  }
}
