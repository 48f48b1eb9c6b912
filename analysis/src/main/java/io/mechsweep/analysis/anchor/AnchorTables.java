package io.mechsweep.analysis.anchor;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.mechsweep.analysis.tables.Tables;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** The anchor study's own table and views (docs/tables.md). */
public final class AnchorTables {
  /** A run's solution type at every evaluation step (docs/tables.md, "solutions"). */
  public static final Tables.Table SOLUTIONS =
      new Tables.Table(
          "solutions",
          new StructType()
          .add("run_id", StringType, false)
          .add("step", IntegerType, false)
          .add("solution_type", StringType, false)
          .add("seen_accuracy", DoubleType, false)
          .add("inferential_accuracy", DoubleType, false)
          .add("symmetric_accuracy", DoubleType, false)
          .add("fit_threshold", DoubleType, false)
          .add("mapping_threshold", DoubleType, false)
          .add("is_final", BooleanType, false));

  public static final String PHASE_DIAGRAM = "anchor_phase_diagram";
  public static final String RUN_SUMMARY = "anchor_run_summary";
  public static final List<String> VIEWS = List.of(PHASE_DIAGRAM, RUN_SUMMARY);

  private AnchorTables() {}

  public static Row solution(AnchorSolution s, boolean isFinal) {
    return RowFactory.create(
        s.runId(), s.step(), s.type().label(), s.seenAccuracy(), s.inferentialAccuracy(),
        s.symmetricAccuracy(), s.fitThreshold(), s.mappingThreshold(), isFinal);
  }
}
