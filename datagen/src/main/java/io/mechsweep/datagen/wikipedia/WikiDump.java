package io.mechsweep.datagen.wikipedia;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The pages of a MediaWiki {@code pages-articles} XML dump (plain or bz2) or of a Parquet table
 * {@code id, title, text}, as rows {@code id, title, ns, redirect, text, corrupt}.
 *
 * <p>The dump is read as text records ending at {@code </page>} (Hadoop's line reader with that
 * separator, so a bz2 dump is split across tasks at its compression blocks), and each page is
 * parsed on its own with StAX. A page whose XML does not parse becomes one row with the parser's
 * message in {@code corrupt}; the pages after it are unaffected. (Spark's own XML source was
 * tried first: on a broken page it swallowed the rest of the file into one corrupt record, and it
 * did not split the bz2 sample.)
 */
public final class WikiDump {
  public static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("title", DataTypes.StringType)
          .add("ns", DataTypes.LongType)
          .add("redirect", DataTypes.StringType)
          .add("text", DataTypes.StringType)
          .add("corrupt", DataTypes.StringType);

  private static final String PAGE_END = "</page>";

  private WikiDump() {}

  /** The input's pages, after {@link DumpInput}'s checks (and, for Parquet, the columns'). */
  public static Dataset<Row> read(SparkSession spark, String path) {
    if (DumpInput.check(spark.sparkContext().hadoopConfiguration(), path) == DumpInput.Format.PARQUET) {
      Dataset<Row> table = spark.read().parquet(path);
      checkColumns(path, table.schema());
      Column text = table.col("text");
      // A plain-text table has no redirect element: MediaWiki marks a redirect by its first word.
      return table.select(
          table.col("id").cast("long").as("id"), table.col("title"), functions.lit(0L).as("ns"),
          functions.when(functions.lower(functions.ltrim(text)).startsWith("#redirect"), functions.lit("?"))
              .as("redirect"),
          text.as("text"), functions.lit(null).cast("string").as("corrupt"));
    }
    return spark.read().option("lineSep", PAGE_END).textFile(path)
        .mapPartitions(parsePages(), Encoders.row(SCHEMA));
  }

  /** A plain-text table needs an integer {@code id} and string {@code title} and {@code text}. */
  static void checkColumns(String path, StructType schema) {
    Map<String, DataType> columns = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      columns.put(f.name(), f.dataType());
    }
    for (String name : List.of("id", "title", "text")) {
      DataType type = columns.get(name);
      boolean integral = type instanceof IntegralType;
      String wanted = name.equals("id") ? "an integer" : "a string";
      String what = type == null ? "has no column '" + name + "'"
          : (name.equals("id") ? !integral : !type.equals(DataTypes.StringType))
              ? "has column '" + name + "' of type " + type.simpleString() + ", not " + wanted
              : null;
      if (what != null) {
        throw DumpInput.refused(path, what + " (its columns: " + schema.simpleString() + "); a Parquet input needs"
            + " columns id (an integer), title and text (strings)");
      }
    }
  }

  private static MapPartitionsFunction<String, Row> parsePages() {
    return chunks -> {
      XMLInputFactory factory = XMLInputFactory.newInstance();
      factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
      factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
      List<Row> pages = new ArrayList<>();
      while (chunks.hasNext()) {
        String chunk = chunks.next();
        int start = chunk.indexOf("<page>");
        if (start >= 0) { // the text before the first page and after the last is the dump's envelope
          pages.add(page(factory, chunk.substring(start) + PAGE_END));
        }
      }
      return pages.iterator();
    };
  }

  /** One {@code <page>} element: its own id (not its revision's), title, ns, redirect target and text. */
  public static Row page(XMLInputFactory factory, String xml) {
    Long id = null;
    Long ns = null;
    String title = null;
    String redirect = null;
    String text = null;
    try {
      XMLStreamReader r = factory.createXMLStreamReader(new StringReader(xml));
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String name = r.getLocalName();
          if (depth == 2 && name.equals("id")) {
            id = Long.parseLong(r.getElementText().strip());
            depth--;
          } else if (depth == 2 && name.equals("ns")) {
            ns = Long.parseLong(r.getElementText().strip());
            depth--;
          } else if (depth == 2 && name.equals("title")) {
            title = r.getElementText();
            depth--;
          } else if (depth == 2 && name.equals("redirect")) {
            redirect = r.getAttributeValue(null, "title");
            redirect = redirect == null ? "" : redirect;
          } else if (depth == 3 && name.equals("text")) {
            text = r.getElementText();
            depth--;
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    } catch (XMLStreamException | NumberFormatException e) {
      String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
      return RowFactory.create(id, title, ns, redirect, null, reason.isEmpty() ? e.toString() : reason);
    }
    return RowFactory.create(id, title, ns, redirect, text, null);
  }
}
