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

@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run a whole study: generate its dataset, train every run, write the tables,"
        + " probe every checkpoint, write the report and print the task's summary (anchor: the"
        + " γ × depth solution types; varassign: accuracy per pool and the phases)."
        + " Re-running skips finished runs, resumes unfinished ones from their last checkpoint"
        + " and probes only new checkpoints.",
    footer = {"", "Example: bin/mechsweep study conf/studies/anchor-quickstart.yaml --root /data/ms",
        "         bin/mechsweep study conf/studies/varassign-quickstart.yaml"})
public final class StudyCommand extends TrainingCommand {
  @Override
  boolean generate() {
    return true;
  }

  @Override
  StudyRunner.Steps steps() {
    return StudyRunner.Steps.ALL;
  }
}
