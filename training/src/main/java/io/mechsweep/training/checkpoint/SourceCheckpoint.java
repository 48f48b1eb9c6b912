package io.mechsweep.training.checkpoint;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's checkpoint in the same root, written {@code <run_id>} (its latest) or
 * {@code <run_id>@<step>}, with {@code :blocks} after it to take only the transformer blocks:
 * where a pretrained run takes its initial parameters from.
 *
 * @param step the checkpoint's step, or {@link #LATEST}
 * @param blocksOnly copy the blocks and the final norm but draw the embeddings afresh: the
 *     source read another vocabulary or sequence length (a Wikipedia masked LM starting a lego
 *     run); otherwise the whole encoder is copied and must match
 */
public record SourceCheckpoint(String runId, int step, boolean blocksOnly) implements Serializable {
  public static final int LATEST = -1;
  public static final String BLOCKS = ":blocks";
  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]+)(?:@(\\d+))?(" + BLOCKS + ")?");

  public SourceCheckpoint(String runId, int step) {
    this(runId, step, false);
  }

  /** Parses {@code run}, {@code run@step}, each maybe followed by {@code :blocks}; null for anything else. */
  public static SourceCheckpoint parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      return null;
    }
    return new SourceCheckpoint(m.group(1), m.group(2) == null ? LATEST : Integer.parseInt(m.group(2)),
        m.group(3) != null);
  }

  @Override
  public String toString() {
    return (step == LATEST ? runId : runId + "@" + step) + (blocksOnly ? BLOCKS : "");
  }
}
