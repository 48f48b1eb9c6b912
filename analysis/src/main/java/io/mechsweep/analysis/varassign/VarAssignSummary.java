package io.mechsweep.analysis.varassign;

import io.mechsweep.analysis.tables.Views;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/** The printed result of a varassign study, read from its two views. */
public final class VarAssignSummary {
  public static final String POOLS = "varassign_pools";
  public static final String PHASES = "varassign_phases";
  /** In registration order: phases reads pools. */
  public static final List<String> VIEWS = List.of(POOLS, PHASES);

  private VarAssignSummary() {}

  public static String format(Views views, String study) {
    List<Row> pools = views.sql("SELECT run_id, seed, pool, final_accuracy, first_step_090, final_step FROM ${db}"
        + POOLS + " WHERE study = '" + study + "' ORDER BY seed, run_id, pool").collectAsList();
    List<Row> phases = views.sql("SELECT run_id, seed, gamma, init_std, peak_lr, weight_decay, status, addition_step,"
        + " generalization_step, assignment_step, refinement_step FROM ${db}" + PHASES + " WHERE study = '"
        + study + "' ORDER BY seed, run_id").collectAsList();
    StringBuilder out = new StringBuilder();
    out.append("Study ").append(study).append(": accuracy per pool at the last evaluation")
        .append(" (first step with accuracy ≥ 0.9 in brackets, - = never)\n");
    Map<String, Map<String, String>> byPool = new LinkedHashMap<>();
    List<String> runIds = new ArrayList<>();
    for (Row r : pools) {
      String run = r.getString(0);
      if (!runIds.contains(run)) {
        runIds.add(run);
      }
      Integer at = r.isNullAt(4) ? null : r.getInt(4);
      byPool.computeIfAbsent(r.getString(2), k -> new LinkedHashMap<>())
          .put(run, String.format(Locale.ROOT, "%.3f (%s)", r.getDouble(3), at == null ? "-" : at));
    }
    out.append(String.format(Locale.ROOT, "%-22s", "pool"));
    runIds.forEach(id -> out.append(String.format(Locale.ROOT, " %-16s", id)));
    out.append('\n');
    byPool.forEach((pool, cells) -> {
      out.append(String.format(Locale.ROOT, "%-22s", pool));
      runIds.forEach(id -> out.append(String.format(Locale.ROOT, " %-16s", cells.getOrDefault(id, "-"))));
      out.append('\n');
    });
    out.append("\nPhases (first evaluation step): addition = train_0var ≥ 0.9; generalization = a held-out")
        .append(" variable pool ≥ 0.5;\nassignment = every train_* pool ≥ 0.9; refinement = both_restricted_2var ≥ 0.9")
        .append(" (paper, one seed: ~4.5k, ~5.3k, ~6k, 14-16k)\n");
    out.append(String.format(Locale.ROOT, "%-14s %-5s %-12s %-8s %-7s %-9s %-9s %-15s %-11s %-10s%n", "run", "seed",
        "init", "lr", "wd", "status", "addition", "generalization", "assignment", "refinement"));
    for (Row r : phases) {
      String init = r.isNullAt(2) ? String.format(Locale.ROOT, "std %.4f", r.getDouble(3))
          : String.format(Locale.ROOT, "γ %.2f", r.getDouble(2));
      out.append(String.format(Locale.ROOT, "%-14s %-5d %-12s %-8.1e %-7.3f %-9s %-9s %-15s %-11s %-10s%n",
          r.getString(0), r.getLong(1), init, r.getDouble(4), r.getDouble(5), r.getString(6),
          step(r, 7), step(r, 8), step(r, 9), step(r, 10)));
    }
    out.append(plateau(pools, phases));
    return out.toString();
  }

  /**
   * Per seed, whether and when the run left the plateau its training variable pools sit on
   * (about 0.55 here): left = the assignment phase, every train_* pool ≥ 0.9.
   */
  private static String plateau(List<Row> pools, List<Row> phases) {
    StringBuilder out = new StringBuilder("\nThe plateau (left = every train_* pool ≥ 0.9, the assignment phase):\n");
    for (Row phase : phases) {
      String run = phase.getString(0);
      double low = 1;
      double high = 0;
      int last = 0;
      for (Row pool : pools) {
        if (pool.getString(0).equals(run) && pool.getString(2).startsWith("train_") && !"train_0var".equals(pool.getString(2))) {
          low = Math.min(low, pool.getDouble(3));
          high = Math.max(high, pool.getDouble(3));
          last = pool.getInt(5);
        }
      }
      out.append(String.format(Locale.ROOT, "seed %d (%s): ", phase.getLong(1), run));
      out.append(phase.isNullAt(9)
          ? String.format(Locale.ROOT, "still on it at step %d (training variable pools %.2f–%.2f)%n", last, low, high)
          : String.format(Locale.ROOT, "left it at step %d%s%n", phase.getInt(9),
              phase.isNullAt(8) ? "" : ", after generalizing at step " + phase.getInt(8)));
    }
    return out.toString();
  }

  private static String step(Row r, int i) {
    return r.isNullAt(i) ? "-" : Integer.toString(r.getInt(i));
  }
}
