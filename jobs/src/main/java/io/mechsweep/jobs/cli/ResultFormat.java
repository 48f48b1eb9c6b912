package io.mechsweep.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How {@code mechsweep sql} writes a result: Spark's terminal table, CSV (RFC 4180, a header
 * line, empty for null), JSON ({@code {"columns": [...], "rows": [[...]]}}, what notebooks read)
 * or a Markdown table (for a results page).
 */
public enum ResultFormat {
  TABLE, CSV, JSON, MARKDOWN;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Writes up to {@code limit} rows of {@code result}. */
  void write(Dataset<Row> result, int limit, PrintStream out) {
    if (this == TABLE) {
      // show() prints through Scala's Console, bound to the System.out of its first use: print
      // to the stream asked for (a caller may have redirected System.out).
      scala.Console.withOut(out, (scala.Function0<Object>) () -> {
        result.show(limit, false);
        return null;
      });
      return;
    }
    String[] columns = result.columns();
    List<Row> rows = result.limit(limit).collectAsList();
    switch (this) {
      case CSV -> {
        out.println(String.join(",", List.of(columns).stream().map(ResultFormat::csv).toList()));
        for (Row r : rows) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            cells.add(r.isNullAt(i) ? "" : csv(String.valueOf(r.get(i))));
          }
          out.println(String.join(",", cells));
        }
      }
      case JSON -> {
        ObjectNode doc = MAPPER.createObjectNode();
        ArrayNode cols = doc.putArray("columns");
        List.of(columns).forEach(cols::add);
        ArrayNode values = doc.putArray("rows");
        for (Row r : rows) {
          ArrayNode row = values.addArray();
          for (int i = 0; i < columns.length; i++) {
            row.add(MAPPER.valueToTree(r.isNullAt(i) ? null : plain(r.get(i))));
          }
        }
        out.println(doc.toString());
      }
      default -> {
        out.println("| " + String.join(" | ", columns) + " |");
        out.println("|" + " --- |".repeat(columns.length));
        for (Row r : rows) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            cells.add(r.isNullAt(i) ? "" : String.valueOf(r.get(i)).replace("|", "\\|").replace("\n", " "));
          }
          out.println("| " + String.join(" | ", cells) + " |");
        }
      }
    }
  }

  /** Spark's values as JSON takes them: numbers, booleans and strings as they are, the rest as text. */
  private static Object plain(Object v) {
    return v instanceof Number || v instanceof Boolean || v instanceof String ? v : String.valueOf(v);
  }

  private static String csv(String cell) {
    return cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
        ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
  }
}
