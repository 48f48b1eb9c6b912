package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the study's runs on its existing dataset, write the tables, probe the"
        + " new checkpoints and write the report. Finished runs are skipped; unfinished ones"
        + " resume from their last checkpoint.")
public final class TrainCommand extends TrainingCommand {
  @Mixin RetryOption retry;

  @Override
  boolean retryFailed() {
    return retry.retryFailed;
  }

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
