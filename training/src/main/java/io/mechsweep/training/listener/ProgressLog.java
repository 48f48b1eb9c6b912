package io.mechsweep.training.listener;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.PackMember;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress line on every evaluation step and at least every 30 seconds: step, speed, elapsed
 * time and the time left at this pace (evaluation and checkpoints included), and each member's
 * last loss, each member known by its run name. The same goes to the pack's progress file under
 * the store's root ({@link RunStore#saveProgress}), what {@code mechsweep status} reads.
 */
public final class ProgressLog implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class); // the pack's log, as before
  private static final long EVERY_NANOS = 30_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PackSpec pack;
  private final RunStore store;
  private long lastLine;

  /**
   * @param store where the progress file goes, or null for none (benchmarks, memory probes)
   * @param startNanos {@link System#nanoTime()} when the training steps began
   */
  public ProgressLog(PackSpec pack, RunStore store, long startNanos) {
    this.pack = pack;
    this.store = store;
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
      line.append(String.format(Locale.ROOT, "%s %s: %s", line.length() == 0 ? "" : ",", m.spec().name(),
          m.failure() != null ? "failed" : String.format(Locale.ROOT, "%.3f", m.lastLoss())));
    }
    int steps = pack.train().steps();
    double left = s.trainingSeconds() / Math.max(1, s.step() - s.startStep()) * (steps - s.step());
    LOG.info(String.format(Locale.ROOT, "pack %s step %d/%d (%.0f ms/step, %s elapsed, %s left) loss%s",
        pack.packId(), s.step(), steps, s.msPerStep(), PackTrainer.duration(s.trainingSeconds()),
        PackTrainer.duration(left), line));
    if (store != null) {
      write(s, steps);
    }
  }

  private void write(StepEnd s, int steps) {
    ObjectNode progress = JSON.createObjectNode().put("pack", pack.packId()).put("step", s.step())
        .put("steps", steps).put("updated_ms", System.currentTimeMillis());
    if (!Double.isNaN(s.msPerStep())) {
      progress.put("ms_per_step", s.msPerStep());
    }
    try {
      store.saveProgress(pack.packId(), JSON.writeValueAsBytes(progress));
    } catch (java.io.IOException e) { // status is a convenience: training goes on without it
      LOG.warn("pack {}: could not write its progress file: {}", pack.packId(), e.toString());
    }
  }
}
