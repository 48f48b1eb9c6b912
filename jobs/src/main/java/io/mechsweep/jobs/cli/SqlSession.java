package io.mechsweep.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.stages.SparkSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * SQL over a root's tables and views, for {@code mechsweep sql} and for programs that embed the
 * JVM: the notebooks under analysis/notebooks (through JPype) and readers beside a running study.
 * It opens the same session as {@code mechsweep sql} (same options), and a read that meets a
 * partition a study swapped out underneath it is read again rather than mixed.
 */
public final class SqlSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Workspace workspace;
  private final SparkSession spark;

  private SqlSession(Workspace workspace) {
    this.workspace = workspace;
    this.spark = workspace.spark();
  }

  /**
   * A session from {@code mechsweep sql}'s options, e.g. {@code open("--root", "out", "--catalog",
   * "jdbc:postgresql://…")}; a bad option is an {@link IllegalArgumentException} naming it.
   */
  public static SqlSession open(String... options) throws IOException {
    Options parsed = new Options();
    try {
      new CommandLine(parsed).parseArgs(options);
      parsed.common.catalogMode();
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return open(parsed.common);
  }

  static SqlSession open(CommonOptions common) throws IOException {
    common.requireExistingRoot();
    Workspace workspace = Workspace.reading(common, "sql");
    if (common.catalogMode() == SparkSessions.Catalog.EMBEDDED) {
      try {
        new StudyRunner(workspace.spark(), workspace.root(), SparkSessions.Catalog.IN_MEMORY, System.out).registerTables();
      } catch (RuntimeException e) {
        workspace.close();
        throw e;
      }
    }
    return new SqlSession(workspace);
  }

  public SparkSession spark() {
    return spark;
  }

  /**
   * A statement's result as JSON, {@code {"columns": [...], "rows": [[...], ...]}} (values as
   * Spark's JSON writes them; nulls as null): what a notebook turns into a table.
   */
  public String json(String statement) {
    return retrying(statement, result -> {
      ObjectNode out = JSON.createObjectNode();
      ArrayNode columns = out.putArray("columns");
      for (String c : result.columns()) {
        columns.add(c);
      }
      ArrayNode rows = out.putArray("rows");
      try {
        for (String line : result.toJSON().collectAsList()) {
          com.fasterxml.jackson.databind.JsonNode row = JSON.readTree(line);
          ArrayNode values = rows.addArray();
          for (String c : result.columns()) {
            values.add(row.has(c) ? row.get(c) : com.fasterxml.jackson.databind.node.NullNode.getInstance());
          }
        }
        return JSON.writeValueAsString(out);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Prints a statement's result as Spark's table, up to {@code limit} rows. */
  public void show(String statement, int limit, PrintStream out) {
    write(statement, limit, ResultFormat.TABLE, out);
  }

  /** Writes a statement's result in {@code format}, up to {@code limit} rows. */
  void write(String statement, int limit, ResultFormat format, PrintStream out) {
    retrying(statement, result -> {
      format.write(result, limit, out);
      return null;
    });
  }

  /** The columns of a table or view of the catalog, as {@code name type}. */
  List<String> columns(String name) {
    return java.util.Arrays.stream(spark.table(name).schema().fields())
        .map(f -> f.name() + " " + f.dataType().simpleString()).toList();
  }

  /**
   * Runs a statement and reads its result. A read that met files a concurrent study swapped out
   * (a table partition replaced after Spark listed it) fails rather than mixing versions; it is
   * read again with fresh listings, up to three times.
   */
  private <T> T retrying(String statement, Function<Dataset<Row>, T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.apply(spark.sql(statement));
      } catch (Exception e) { // Spark's read errors are SparkExceptions, thrown undeclared
        if (attempt >= 3 || !changedUnderneath(e)) {
          throw e;
        }
        refreshTables();
      }
    }
  }

  /** Drops Spark's cached file lists of every table, so the next read lists the files again. */
  private void refreshTables() {
    try {
      for (org.apache.spark.sql.catalog.Table t : spark.catalog().listTables(Tables.DATABASE).collectAsList()) {
        spark.catalog().refreshTable(Tables.DATABASE + "." + t.name());
      }
    } catch (org.apache.spark.sql.AnalysisException e) {
      throw new IllegalStateException("cannot list the tables of " + Tables.DATABASE, e);
    }
  }

  private static boolean changedUnderneath(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      // A file listed before the swap and gone since: FileNotFoundException, or NoSuchFileException
      // when Parquet reopens a file it had opened for its footer.
      if (t instanceof java.io.FileNotFoundException || t instanceof java.nio.file.NoSuchFileException
          || message.contains("FILE_NOT_EXIST")
          || message.contains("PATH_NOT_FOUND")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    workspace.close();
  }

  /** The options of {@code mechsweep sql} that choose the tables: --root, --catalog, --conf. */
  @CommandLine.Command(name = "sql-session")
  static final class Options {
    @CommandLine.Mixin CommonOptions common;
  }
}
