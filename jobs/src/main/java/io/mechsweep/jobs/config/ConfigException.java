package io.mechsweep.jobs.config;

import java.util.List;

/** A study config that cannot run; the message lists every problem, each naming its field. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super("invalid study config " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
