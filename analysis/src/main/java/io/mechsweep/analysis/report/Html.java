package io.mechsweep.analysis.report;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A static HTML page built in order: headings, text, images and result tables, all escaped. */
final class Html {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
  }

  void heading(int level, String text) {
    body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
  }

  void paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
  }

  void code(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
  }

  void image(String src, String alt) {
    body.append("<p><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(alt)).append("\"></p>\n");
  }

  /** The query's rows as a table; numbers with 4 significant digits, nulls as "–". */
  void table(Dataset<Row> rows) {
    String[] columns = rows.columns();
    List<Row> data = rows.collectAsList();
    body.append("<div class=\"scroll\"><table>\n<tr>");
    for (String c : columns) {
      body.append("<th>").append(escape(c)).append("</th>");
    }
    body.append("</tr>\n");
    for (Row r : data) {
      body.append("<tr>");
      for (int i = 0; i < columns.length; i++) {
        body.append("<td>").append(escape(cell(r.get(i)))).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table></div>\n");
  }

  String render() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;max-width:1400px}"
        + "table{border-collapse:collapse;font-size:13px;margin-bottom:1em}"
        + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}"
        + "pre{background:#f6f6f6;padding:8px}img{max-width:100%}.scroll{overflow-x:auto}\n</style>\n</head>\n<body>\n"
        + body + "</body>\n</html>\n";
  }

  static String cell(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Double d) {
      return Double.isNaN(d) ? "NaN" : String.format(Locale.ROOT, "%.4g", d);
    }
    return v.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
