package io.mechsweep.jobs.cli.bench;

import io.mechsweep.training.bench.TrainingBenchmark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --all}'s table, in Markdown so that it pastes into BENCHMARKS.md: a row per task;
 * PyTorch's best ms/step and the thread count that gave it; at each K × threads mechsweep's ms per
 * run-step and its speed against PyTorch; and at each thread count the largest K's ms per run-step
 * over the smallest K's (the packing goal: K=8 at most 0.8 × K=1).
 */
public final class SummaryTable {
  private final List<Integer> packs;
  private final List<Integer> threads;

  public SummaryTable(List<Integer> packs, List<Integer> threads) {
    this.packs = packs;
    this.threads = threads;
  }

  private int smallestK() {
    return Collections.min(packs);
  }

  private int largestK() {
    return Collections.max(packs);
  }

  /** The header, the alignment row and a row per task. */
  public List<String> lines(List<TaskTiming.Result> tasks) {
    List<String> header = new ArrayList<>(List.of("task", "pytorch ms/step"));
    for (int k : packs) {
      for (int t : threads) {
        header.add("K=" + k + " t=" + t + " ms/run-step");
        header.add("K=" + k + " t=" + t + " vs pytorch");
      }
    }
    if (largestK() != smallestK()) {
      threads.forEach(t -> header.add("K=" + largestK() + "/K=" + smallestK() + " t=" + t));
    }
    List<String> lines = new ArrayList<>();
    lines.add(row(header));
    lines.add(row(header.stream().map(h -> h.equals("task") ? "---" : "---:").toList()));
    tasks.forEach(task -> lines.add(row(cells(task))));
    return lines;
  }

  private List<String> cells(TaskTiming.Result task) {
    List<String> cells = new ArrayList<>(List.of(task.task(),
        String.format(Locale.ROOT, "%.1f (t=%d)", task.baseline().msPerStep(), task.baseline().threads())));
    for (int k : packs) {
      for (int t : threads) {
        TrainingBenchmark.Result r = task.at(k, t).orElseThrow();
        cells.add(String.format(Locale.ROOT, "%.1f", r.msPerRunStep()));
        cells.add(String.format(Locale.ROOT, "%.2fx", task.speedup(r)));
      }
    }
    if (largestK() != smallestK()) {
      for (int t : threads) {
        double ratio = task.at(largestK(), t).orElseThrow().msPerRunStep()
            / task.at(smallestK(), t).orElseThrow().msPerRunStep();
        cells.add(String.format(Locale.ROOT, "%.2f", ratio));
      }
    }
    return cells;
  }

  /** What the columns mean, for under the table. */
  public String legend() {
    String packing = largestK() == smallestK() ? ""
        : "; K=" + largestK() + "/K=" + smallestK() + ": ms per run-step of the pack of " + largestK()
            + " over the pack of " + smallestK() + " at those threads (below 1: packing pays; the goal for"
            + " K=8/K=1 is at most 0.8)";
    return "pytorch ms/step: reference.py at its fastest thread count (t); vs pytorch: run-steps per second"
        + " against it (above 1: mechsweep is faster)" + packing;
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |";
  }
}
