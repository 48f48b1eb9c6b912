package io.mechsweep.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --retry-failed}, on the commands that train or export runs: study, train, export-packs. */
public final class RetryOption {
  @Option(names = "--retry-failed", description = "Train runs that failed before again (export-packs: include them).")
  boolean retryFailed;
}
