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
 * The tasks' SQL views over the tables (anchor's {@code anchor_phase_diagram}, varassign's
 * {@code varassign_phases}, …). Their text is in {@code views/*.sql} beside this class, with
 * {@code ${db}} where the database goes.
 */
public final class Views {
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
  public static Views register(SparkSession spark, TableStore tables, List<Tables.Table> all, List<String> viewNames) {
    Views views;
    List<String> names = new java.util.ArrayList<>(viewNames);
    viewNames.forEach(v -> names.add(v + HISTORY));
    if (tables.usesCatalog()) {
      views = new Views(spark, Tables.DATABASE + ".");
      for (Tables.Table t : all) {
        tables.ensureRegistered(t); // a view over a task's table that no study wrote yet still resolves
      }
      for (String view : names) {
        // CREATE OR REPLACE of a catalog view drops it and creates it again: a reader in another
        // JVM (a shared metastore) could find it missing in between. ALTER VIEW is one update.
        String verb = spark.catalog().tableExists(Tables.DATABASE, view) ? "ALTER VIEW " : "CREATE VIEW ";
        spark.sql(verb + Tables.DATABASE + "." + view + " AS " + views.resolve(sql(view, viewNames)));
      }
    } else {
      views = new Views(spark, "");
      for (Tables.Table t : all) {
        tables.read(t).createOrReplaceTempView(t.name());
      }
      for (String view : names) {
        spark.sql("CREATE OR REPLACE TEMP VIEW " + view + " AS " + views.resolve(sql(view, viewNames)));
      }
    }
    return views;
  }

  /** What a view's history twin is called: {@code anchor_phase_diagram_history}. */
  public static final String HISTORY = "_history";
  private static final java.util.regex.Pattern CURRENT_GRID =
      java.util.regex.Pattern.compile("coalesce\\((\\w+\\.)?current_config, true\\)");

  /**
   * A view's SQL. Views show the runs of each study's current grid ({@code coalesce(r.current_config,
   * true)} in their SQL); a {@code _history} twin is the same SQL without that filter, over the
   * other views' twins, so superseded configs' runs are there too.
   */
  static String sql(String view, List<String> viewNames) {
    if (!view.endsWith(HISTORY)) {
      return text(view);
    }
    String sql = CURRENT_GRID.matcher(text(view.substring(0, view.length() - HISTORY.length()))).replaceAll("true");
    for (String other : viewNames) {
      sql = sql.replaceAll("\\$\\{db\\}" + other + "\\b", java.util.regex.Matcher.quoteReplacement("${db}" + other + HISTORY));
    }
    return sql;
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
