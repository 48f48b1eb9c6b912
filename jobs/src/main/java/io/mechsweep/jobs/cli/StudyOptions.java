package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.config.StudyConfig;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The study config and its name: the config file and --set, --study. */
public final class StudyOptions {
  @Mixin ConfigOptions config;

  @Option(names = "--study", paramLabel = "NAME",
      description = "Name the study NAME instead of the config's `study:` (its table partitions"
          + " and report), e.g. a dated name for a scheduled run: anchor-nightly-20261123.")
  String study;

  /** The study config, renamed by --study when given. */
  StudyConfig parse(CommandSpec spec) throws java.io.IOException {
    StudyConfig c = config.parse();
    if (study == null) {
      return c;
    }
    if (!study.matches(io.mechsweep.analysis.tables.Tables.STUDY_NAME)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--study: got '" + study + "'; allowed: 1-64 letters, digits, '-' or '_'");
    }
    return c.withStudy(study);
  }
}
