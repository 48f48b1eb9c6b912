package io.mechsweep.training.eval;

import java.io.Serializable;

/**
 * One evaluation number: {@code metric} (accuracy, symmetric_accuracy, deviation, …) on
 * {@code evalSet} after {@code step} updates; {@code bucket} is "all", a group such as an
 * anchor pair "(4,3)", a read slot such as "read_3", or a histogram bin such as "+4".
 */
public record EvalRow(
    String runId, int step, String evalSet, String metric, String bucket, double value, long n)
    implements Serializable {
  public static final String ALL = "all";
  public static final String ACCURACY = "accuracy";
  public static final String CROSS_ENTROPY = "cross_entropy";
  public static final String DEVIATION = "deviation";

  /** The bucket of one read slot (1-based) when rows are read at several positions. */
  public static String readSlot(int slot) {
    return "read_" + (slot + 1);
  }

  public static String alternativeAccuracy(String alternative) {
    return alternative + "_accuracy";
  }
}
