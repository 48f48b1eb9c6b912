package io.mechsweep.training;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PackTrainer#stopBy}: after each checkpoint, whether the next one would still be written
 * by the deadline, judged by the time the last stretch between checkpoints took.
 */
final class Deadline {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class);

  private final PackSpec pack;
  private final long deadlineNanos;
  private long lastCheckpoint;

  Deadline(PackSpec pack, long deadlineNanos, long startNanos) {
    this.pack = pack;
    this.deadlineNanos = deadlineNanos;
    this.lastCheckpoint = startNanos;
  }

  /** Called once a checkpoint of {@code step} is written; true (the members still training failed with the reason) when the pack stops here. */
  boolean stopsAfter(int step, List<PackMember> members) {
    long written = System.nanoTime();
    if (deadlineNanos - written < written - lastCheckpoint) { // nanoTime: compare differences
      String reason = "stopped at step " + step + " of " + pack.train().steps() + ": the next checkpoint would"
          + " have come after the deadline; the checkpoint at step " + step + " holds the curve and evaluations"
          + " so far, and training it again (--retry-failed) resumes there";
      LOG.info("pack {}: {}", pack.packId(), reason);
      for (PackMember m : members) {
        if (m.training()) {
          m.fail(reason);
        }
      }
      return true;
    }
    lastCheckpoint = written;
    return false;
  }
}
