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

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the study's runs on its existing dataset, write the tables, probe the"
        + " new checkpoints and write the report. Finished runs are skipped; unfinished ones"
        + " resume from their last checkpoint.")
public final class TrainCommand extends TrainingCommand {
  @Option(names = "--skip-probes",
      description = "Only train and write the tables; `mechsweep probe` and `mechsweep report` do the rest.")
  boolean skipProbes;

  @Override
  boolean generate() {
    return false;
  }

  @Override
  StudyRunner.Steps steps() {
    return skipProbes ? new StudyRunner.Steps(true, false, false) : StudyRunner.Steps.ALL;
  }
}
