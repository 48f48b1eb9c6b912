package io.mechsweep.training.checkpoint;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's checkpoint in the same root, written {@code <run_id>} (its latest) or
 * {@code <run_id>@<step>}: where a pretrained run takes its initial parameters from.
 *
 * @param step the checkpoint's step, or {@link #LATEST}
 */
public record SourceCheckpoint(String runId, int step) implements Serializable {
  public static final int LATEST = -1;
  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]+)(?:@(\\d+))?");

  /** Parses {@code run} or {@code run@step}; null when the text has neither form. */
  public static SourceCheckpoint parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      return null;
    }
    return new SourceCheckpoint(m.group(1), m.group(2) == null ? LATEST : Integer.parseInt(m.group(2)));
  }

  @Override
  public String toString() {
    return step == LATEST ? runId : runId + "@" + step;
  }
}
