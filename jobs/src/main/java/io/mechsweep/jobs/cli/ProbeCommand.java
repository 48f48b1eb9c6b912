package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "probe", mixinStandardHelpOptions = true,
    description = "Probe the checkpoints of a trained study not probed yet (all with --reprobe)"
        + " and write the tables and views; trains nothing (a run without a result is an error)"
        + " and writes no report (`mechsweep report`).")
public final class ProbeCommand extends TrainingCommand {
  @Mixin ReprobeOption probes;

  @Override
  boolean reprobe() {
    return probes.reprobe;
  }

  @Override
  boolean retryFailed() {
    return false; // probing trains nothing
  }

  @Override
  boolean generate() {
    return false;
  }

  @Override
  StudyRunner.Steps steps() {
    return new StudyRunner.Steps(false, true, false);
  }
}
