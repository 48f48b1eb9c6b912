package io.mechsweep.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --reprobe}, on the commands that probe: study, probe. */
public final class ReprobeOption {
  @Option(names = "--reprobe",
      description = "Probe every checkpoint again and replace the study's probe rows (after the"
          + " probes changed). Default: probe only checkpoints not yet in the probes table.")
  boolean reprobe;
}
