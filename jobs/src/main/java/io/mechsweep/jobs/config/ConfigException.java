package io.mechsweep.jobs.config;

import java.util.List;

/**
 * A study config that cannot run; the message is one line listing every problem, each naming
 * its field, the value found and what is allowed.
 */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super("invalid study config " + source + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
