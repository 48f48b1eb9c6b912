package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The study config and what selects its runs: the config file and --set, --study, --retry-failed. */
public final class StudyOptions {
  @Mixin ConfigOptions config;

  @Option(names = "--study", paramLabel = "NAME",
      description = "Name the study NAME instead of the config's `study:` (its table partitions"
          + " and report), e.g. a dated name for a scheduled run: anchor-nightly-20261123.")
  String study;

  @Option(names = "--retry-failed", description = "Train runs that failed before again (export-packs: include them).")
  boolean retryFailed;

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
