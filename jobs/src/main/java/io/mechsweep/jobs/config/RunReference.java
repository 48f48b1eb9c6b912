package io.mechsweep.jobs.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run named by its study and run name in {@code model.init_from}:
 * {@code wikipedia-quickstart/seed=1}, with an optional {@code @step} and {@code :blocks} as for a
 * run id. Resolved to the run's id from the study's roster under the root before planning, so
 * the id (and with it every dependent run's id) is the same as if the id had been written.
 */
public record RunReference(String study, String name, String suffix) {
  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]{1,64})/(.+?)((?:@\\d+)?(?::blocks)?)");

  /** The reference in {@code text}, or null when it is not one. */
  public static RunReference parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    return m.matches() ? new RunReference(m.group(1), m.group(2), m.group(3)) : null;
  }

  /** The same checkpoint by run id: {@code <id>@step:blocks}. */
  public String withId(String runId) {
    return runId + suffix;
  }
}
