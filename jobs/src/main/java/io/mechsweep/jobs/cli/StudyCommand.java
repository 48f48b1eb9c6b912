package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run a whole study: generate its dataset, train every run, write the tables,"
        + " probe every checkpoint, write the report and print the task's summary (anchor: the"
        + " γ × depth solution types; varassign: accuracy per pool and the phases)."
        + " Re-running skips finished runs, resumes unfinished ones from their last checkpoint"
        + " and probes only new checkpoints.",
    footer = {"", "Example: bin/mechsweep study conf/studies/anchor-quickstart.yaml --root /data/ms",
        "         bin/mechsweep study conf/studies/varassign-quickstart.yaml"})
public final class StudyCommand extends TrainingCommand {
  @Mixin RetryOption retry;
  @Mixin ReprobeOption probes;

  @Override
  boolean reprobe() {
    return probes.reprobe;
  }

  @Override
  boolean retryFailed() {
    return retry.retryFailed;
  }

  @Override
  boolean generate() {
    return true;
  }

  @Override
  StudyRunner.Steps steps() {
    return StudyRunner.Steps.ALL;
  }
}
