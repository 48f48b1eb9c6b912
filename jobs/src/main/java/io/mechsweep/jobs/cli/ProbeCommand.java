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

@Command(name = "probe", mixinStandardHelpOptions = true,
    description = "Probe the checkpoints of a trained study not probed yet (all with --reprobe)"
        + " and write the tables and views; trains nothing (a run without a result is an error)"
        + " and writes no report (`mechsweep report`).")
public final class ProbeCommand extends TrainingCommand {
  @Override
  boolean generate() {
    return false;
  }

  @Override
  StudyRunner.Steps steps() {
    return new StudyRunner.Steps(false, true, false);
  }
}
