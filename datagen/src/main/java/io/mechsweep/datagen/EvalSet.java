package io.mechsweep.datagen;

import java.io.Serializable;
import java.util.Map;

/**
 * A named evaluation set: sequences, their primary targets, and optionally other answers to
 * score against and a grouping for per-group accuracy.
 *
 * @param groupNames names of the groups rows belong to (e.g. anchor pairs "(1,2)")
 * @param groupOfRow index into {@code groupNames} for each row
 * @param alternativeTargets other answers worth counting, by name (e.g. "symmetric" → x-6)
 * @param recordDeviation whether to record the histogram of prediction − target
 * @param recordLoss whether to record the mean cross-entropy over the scored reads (a masked
 *     LM's dev loss); such a set's reads are each row's chosen positions, in no fixed slot, so no
 *     per-slot accuracy is recorded for it
 */
public record EvalSet(
    String name,
    TokenTable table,
    String[] groupNames,
    int[] groupOfRow,
    Map<String, int[]> alternativeTargets,
    boolean recordDeviation,
    boolean recordLoss)
    implements Serializable {

  /** A set scored by accuracy only. */
  public EvalSet(String name, TokenTable table, String[] groupNames, int[] groupOfRow,
      Map<String, int[]> alternativeTargets, boolean recordDeviation) {
    this(name, table, groupNames, groupOfRow, alternativeTargets, recordDeviation, false);
  }

  /** A set scored as one group ({@code all}), no alternative answers, no deviation histogram. */
  public static EvalSet ungrouped(String name, TokenTable table) {
    return new EvalSet(name, table, new String[] {"all"}, new int[table.rows()], Map.of(), false);
  }

  /** One group, scored by accuracy and by its mean cross-entropy (a masked LM's dev set). */
  public static EvalSet ungroupedWithLoss(String name, TokenTable table) {
    return new EvalSet(name, table, new String[] {"all"}, new int[table.rows()], Map.of(), false, true);
  }

  public EvalSet {
    if (groupOfRow.length != table.rows()) {
      throw new IllegalArgumentException("one group per row needed in eval set " + name);
    }
    if (table.reads() > 1 && !alternativeTargets.isEmpty()) {
      throw new IllegalArgumentException(
          "eval set " + name + ": alternative answers are per row, so its table must read one position per row");
    }
    alternativeTargets.forEach(
        (alt, targets) -> {
          if (targets.length != table.rows()) {
            throw new IllegalArgumentException("alternative " + alt + " needs one target per row");
          }
        });
  }
}
