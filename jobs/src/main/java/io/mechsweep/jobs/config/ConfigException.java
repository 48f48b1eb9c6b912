package io.mechsweep.jobs.config;

import java.util.List;

/**
 * A study config that cannot run (or options that change it for one command, e.g. export-packs
 * --gpu-memory); the message is one line listing every problem, each naming its field or option,
 * the value found and what is allowed.
 */
public final class ConfigException extends io.mechsweep.datagen.BadInputException {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    this(problems, "invalid study config " + source);
  }

  private ConfigException(List<String> problems, String heading) {
    super(heading + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The options a command was given refused for study {@code study}: its config is fine. */
  public static ConfigException inOptions(String study, List<String> problems) {
    return new ConfigException(problems, "study '" + study + "' cannot run with these options");
  }

  public List<String> problems() {
    return problems;
  }
}
