package io.mechsweep.analysis.anchor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The printed result of a study: one line per grid cell, statistics over seeds. */
public final class AnchorSummary {
  /**
   * One run's place in the grid and its final solution and (4,3) accuracies by key side (both
   * null when the run failed).
   */
  public record RunResult(
      int depth, double gamma, double peakLr, double weightDecay, long seed, String status,
      String failureReason, AnchorSolution solution, KeySideAccuracy keySides) {}

  /** Mean and population standard deviation (NaN values, a side with no rows, are left out). */
  public record Spread(double mean, double sd, int n) {
    static Spread of(List<Double> all) {
      List<Double> values = all.stream().filter(v -> !v.isNaN()).toList();
      if (values.isEmpty()) {
        return new Spread(Double.NaN, Double.NaN, 0);
      }
      double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(0);
      return new Spread(mean, Math.sqrt(var), values.size());
    }

    @Override
    public String toString() {
      return n == 0 ? "-" : String.format(Locale.ROOT, "%.2f ± %.2f", mean, sd);
    }
  }

  /** (4,3) by key side over a cell's runs ({@link KeySideAccuracy}, each field a {@link Spread}). */
  public record KeySides(
      Spread inferentialTrainKeys, Spread symmetricTrainKeys, Spread inferentialHeldOutKeys,
      Spread symmetricHeldOutKeys) {

    static KeySides of(List<KeySideAccuracy> runs) {
      return new KeySides(
          Spread.of(runs.stream().map(KeySideAccuracy::inferentialTrainKeys).toList()),
          Spread.of(runs.stream().map(KeySideAccuracy::symmetricTrainKeys).toList()),
          Spread.of(runs.stream().map(KeySideAccuracy::inferentialHeldOutKeys).toList()),
          Spread.of(runs.stream().map(KeySideAccuracy::symmetricHeldOutKeys).toList()));
    }

    /** Whether any run had rows on either side. */
    boolean any() {
      return inferentialTrainKeys.n() + inferentialHeldOutKeys.n() > 0;
    }
  }

  /**
   * A grid cell: every seed of one (depth, γ, peak lr, weight decay).
   *
   * @param inferentialAhead finished runs whose inferential accuracy on (4,3) exceeds their
   *     symmetric one: at a scale where few runs reach either threshold, the direction γ pushes in
   *     shows in how many lean each way, counted over seeds
   */
  public record Cell(
      int depth, double gamma, double peakLr, double weightDecay, Map<String, Integer> types,
      int failed, Spread seen, Spread inferential, Spread symmetric, int inferentialAhead,
      KeySides keySides) {

    /** The most frequent solution type among finished runs ("failed" when none finished). */
    public String majority() {
      return types.entrySet().stream()
          .max(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey)
          .orElse("failed");
    }
  }

  private AnchorSummary() {}

  public static List<Cell> cells(List<RunResult> runs) {
    Map<String, List<RunResult>> grouped = new TreeMap<>();
    for (RunResult r : runs) {
      String key =
          String.format(Locale.ROOT, "%04d|%08.4f|%.6e|%.6e", r.depth(), r.gamma(), r.peakLr(), r.weightDecay());
      grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<Cell> cells = new ArrayList<>();
    for (List<RunResult> group : grouped.values()) {
      RunResult first = group.get(0);
      Map<String, Integer> types = new TreeMap<>();
      List<Double> seen = new ArrayList<>();
      List<Double> inferential = new ArrayList<>();
      List<Double> symmetric = new ArrayList<>();
      List<KeySideAccuracy> keySides = new ArrayList<>();
      int failed = 0;
      int inferentialAhead = 0;
      for (RunResult r : group) {
        if (r.solution() == null) {
          failed++;
          continue;
        }
        types.merge(r.solution().type().label(), 1, Integer::sum);
        seen.add(r.solution().seenAccuracy());
        inferential.add(r.solution().inferentialAccuracy());
        symmetric.add(r.solution().symmetricAccuracy());
        inferentialAhead += r.solution().inferentialAccuracy() > r.solution().symmetricAccuracy() ? 1 : 0;
        if (r.keySides() != null) {
          keySides.add(r.keySides());
        }
      }
      cells.add(
          new Cell(first.depth(), first.gamma(), first.peakLr(), first.weightDecay(), types, failed,
              Spread.of(seen), Spread.of(inferential), Spread.of(symmetric), inferentialAhead,
              KeySides.of(keySides)));
    }
    return cells;
  }

  /** "k of n [lo, hi]": the count and the 95% Wilson interval of the share k / n. */
  static String ahead(int k, int n) {
    if (n == 0) {
      return "0 of 0";
    }
    double[] w = wilson(k, n);
    return String.format(Locale.ROOT, "%d of %d [%.2f, %.2f]", k, n, w[0], w[1]);
  }

  /**
   * The 95% Wilson score interval of a share of {@code k} successes in {@code n} trials: unlike
   * the normal approximation it stays inside [0, 1] and is not empty at k = 0 or k = n, which
   * matters at a handful of seeds.
   */
  static double[] wilson(int k, int n) {
    double z = 1.959963984540054;
    double p = (double) k / n;
    double z2n = z * z / n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /** The text table printed at the end of a study. */
  public static String format(String study, List<RunResult> runs) {
    List<Cell> cells = cells(runs);
    StringBuilder out = new StringBuilder();
    out.append("Study ").append(study).append(": solution type of the unseen pair (4,3) per γ × depth")
        .append(" (accuracies: mean ± sd over seeds; inf > sym: runs whose inferential accuracy exceeds"
            + " their symmetric one, with its share's 95% Wilson interval)\n");
    String header =
        String.format(Locale.ROOT, "%-5s %-6s %-8s %-7s %-30s %-13s %-13s %-13s %-20s%n",
            "depth", "gamma", "peak_lr", "wd", "solutions (runs)", "seen", "inferential", "symmetric", "inf > sym");
    out.append(header);
    out.append("-".repeat(header.length() - 1)).append('\n');
    for (Cell c : cells) {
      StringBuilder types = new StringBuilder();
      c.types().forEach((t, n) -> types.append(types.length() == 0 ? "" : ", ").append(t).append(" ×").append(n));
      if (c.failed() > 0) {
        types.append(types.length() == 0 ? "" : ", ").append("failed ×").append(c.failed());
      }
      out.append(
          String.format(Locale.ROOT, "%-5d %-6.2f %-8.1e %-7.3f %-30s %-13s %-13s %-13s %-20s%n",
              c.depth(), c.gamma(), c.peakLr(), c.weightDecay(), types, c.seen(), c.inferential(),
              c.symmetric(), ahead(c.inferentialAhead(), c.seen().n())));
    }
    if (cells.stream().anyMatch(c -> c.keySides().any())) {
      out.append("(4,3) by key side: inferential / symmetric accuracy on training-split keys (the public code's"
          + " 43_xel) and on held-out keys, mean ± sd over seeds\n");
      String keyHeader = String.format(Locale.ROOT, "%-5s %-6s %-8s %-7s %-13s %-13s %-13s %-13s%n",
          "depth", "gamma", "peak_lr", "wd", "inf (train)", "sym (train)", "inf (held)", "sym (held)");
      out.append(keyHeader);
      out.append("-".repeat(keyHeader.length() - 1)).append('\n');
      for (Cell c : cells) {
        KeySides k = c.keySides();
        out.append(String.format(Locale.ROOT, "%-5d %-6.2f %-8.1e %-7.3f %-13s %-13s %-13s %-13s%n",
            c.depth(), c.gamma(), c.peakLr(), c.weightDecay(), k.inferentialTrainKeys(), k.symmetricTrainKeys(),
            k.inferentialHeldOutKeys(), k.symmetricHeldOutKeys()));
      }
    }
    for (RunResult r : runs) {
      if (r.solution() == null) {
        out.append(String.format(Locale.ROOT, "failed: depth %d γ %.2f lr %.1e seed %d — %s%n",
            r.depth(), r.gamma(), r.peakLr(), r.seed(), r.failureReason()));
      }
    }
    return out.toString();
  }
}
