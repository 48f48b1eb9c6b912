package io.mechsweep.analysis.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * SQL views over the tables: {@code phase_diagram} (one cell per depth × γ) and
 * {@code run_summary} (one row per run with its solution and headline probes). Their text is in
 * {@code views/*.sql} beside this class, with {@code ${db}} where the database goes.
 */
public final class Views {
  public static final String PHASE_DIAGRAM = "phase_diagram";
  public static final String RUN_SUMMARY = "run_summary";
  public static final List<String> ALL = List.of(PHASE_DIAGRAM, RUN_SUMMARY);

  private final SparkSession spark;
  private final String prefix;

  private Views(SparkSession spark, String prefix) {
    this.spark = spark;
    this.prefix = prefix;
  }

  /**
   * Makes tables and views queryable: persistent views in the {@code mechsweep} database when the
   * store uses the catalog, else temporary views over the tables' paths (this session only).
   */
  public static Views register(SparkSession spark, TableStore tables) {
    Views views;
    if (tables.usesCatalog()) {
      views = new Views(spark, Tables.DATABASE + ".");
      for (String view : ALL) {
        spark.sql("CREATE OR REPLACE VIEW " + Tables.DATABASE + "." + view + " AS " + views.resolve(text(view)));
      }
    } else {
      views = new Views(spark, "");
      for (Tables.Table t : Tables.ALL) {
        tables.read(t).createOrReplaceTempView(t.name());
      }
      for (String view : ALL) {
        spark.sql("CREATE OR REPLACE TEMP VIEW " + view + " AS " + views.resolve(text(view)));
      }
    }
    return views;
  }

  /** Runs a query written with {@code ${db}} before each table or view name. */
  public Dataset<Row> sql(String template) {
    return spark.sql(resolve(template));
  }

  String resolve(String template) {
    return template.replace("${db}", prefix);
  }

  static String text(String view) {
    try (InputStream in = Views.class.getResourceAsStream("/io/mechsweep/analysis/views/" + view + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("view " + view + " has no SQL resource");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
