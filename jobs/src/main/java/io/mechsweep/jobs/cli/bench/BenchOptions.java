package io.mechsweep.jobs.cli.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code mechsweep bench} measures, whatever the task: timed steps, pack sizes K, thread
 * counts, the Python and script of the PyTorch baseline, and where the tasks' quickstarts are.
 */
public record BenchOptions(
    int steps, List<Integer> packs, List<Integer> threads, String python, Path reference, Path studies) {
  public BenchOptions {
    packs = List.copyOf(packs);
    threads = List.copyOf(threads);
  }
}
