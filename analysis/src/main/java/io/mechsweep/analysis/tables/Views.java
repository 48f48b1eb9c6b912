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
 * The tasks' SQL views over the tables (anchor's {@code phase_diagram}, varassign's
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
    if (tables.usesCatalog()) {
      views = new Views(spark, Tables.DATABASE + ".");
      for (Tables.Table t : all) {
        tables.ensureRegistered(t); // a view over a task's table that no study wrote yet still resolves
      }
      for (String view : viewNames) {
        // CREATE OR REPLACE of a catalog view drops it and creates it again: a reader in another
        // JVM (a shared metastore) could find it missing in between. ALTER VIEW is one update.
        String verb = spark.catalog().tableExists(Tables.DATABASE, view) ? "ALTER VIEW " : "CREATE VIEW ";
        spark.sql(verb + Tables.DATABASE + "." + view + " AS " + views.resolve(text(view)));
      }
    } else {
      views = new Views(spark, "");
      for (Tables.Table t : all) {
        tables.read(t).createOrReplaceTempView(t.name());
      }
      for (String view : viewNames) {
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
