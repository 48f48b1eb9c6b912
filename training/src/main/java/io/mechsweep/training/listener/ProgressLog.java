package io.mechsweep.training.listener;

import io.mechsweep.training.PackMember;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress line on every evaluation step and at least every 30 seconds: step, speed, elapsed
 * time and the time left at this pace (evaluation and checkpoints included), and each member's
 * last loss.
 */
public final class ProgressLog implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class); // the pack's log, as before
  private static final long EVERY_NANOS = 30_000_000_000L;

  private final PackSpec pack;
  private long lastLine;

  /** @param startNanos {@link System#nanoTime()} when the training steps began */
  public ProgressLog(PackSpec pack, long startNanos) {
    this.pack = pack;
    this.lastLine = startNanos;
  }

  @Override
  public void onStep(StepEnd s) {
    if (!s.evalStep() && s.nowNanos() - lastLine < EVERY_NANOS) {
      return;
    }
    lastLine = s.nowNanos();
    StringBuilder line = new StringBuilder();
    for (PackMember m : s.members()) {
      line.append(String.format(Locale.ROOT, " %s:%s", m.runId(),
          m.failure() != null ? "failed" : String.format(Locale.ROOT, "%.3f", m.lastLoss())));
    }
    int steps = pack.train().steps();
    double left = s.trainingSeconds() / Math.max(1, s.step() - s.startStep()) * (steps - s.step());
    LOG.info(String.format(Locale.ROOT, "pack %s step %d/%d (%.0f ms/step, %s elapsed, %s left) loss%s",
        pack.packId(), s.step(), steps, s.msPerStep(), PackTrainer.duration(s.trainingSeconds()),
        PackTrainer.duration(left), line));
  }
}
