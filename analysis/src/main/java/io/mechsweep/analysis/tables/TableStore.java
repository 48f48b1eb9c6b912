package io.mechsweep.analysis.tables;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a study's partition of each table and keeps the catalog in step.
 *
 * <p>A study's partition is replaced as a whole, so re-running a study never duplicates rows.
 * Tables are external Parquet tables over {@code <root>/tables/<name>}: any Parquet reader can
 * read the files, and the catalog is only a name for them.
 */
public final class TableStore {
  private final SparkSession spark;
  private final String root;
  private final boolean useCatalog;

  public TableStore(SparkSession spark, String root, boolean useCatalog) {
    this.spark = spark;
    this.root = root;
    this.useCatalog = useCatalog;
  }

  public String location(Tables.Table table) {
    return new Path(new Path(root, "tables"), table.name()).toString();
  }

  public boolean usesCatalog() {
    return useCatalog;
  }

  /** Where a study's rows of a table live. */
  public String partition(Tables.Table table, String study) {
    return new Path(location(table), Tables.PARTITION + "=" + study).toString();
  }

  /** Replaces the study's partition with {@code rows}. */
  public void write(Tables.Table table, String study, List<Row> rows) {
    Dataset<Row> df = spark.createDataFrame(rows, table.schema()).coalesce(1);
    df.write().mode(SaveMode.Overwrite).parquet(partition(table, study));
    if (useCatalog) {
      register(table);
    }
  }

  /**
   * Adds rows to the study's partition, written by the executors that computed them (probe
   * rows of a large study are too many to gather on the driver). Spark commits the files of one
   * append together, so a failed append leaves the partition as it was.
   */
  public void append(Tables.Table table, String study, Dataset<Row> rows) {
    rows.write().mode(SaveMode.Append).parquet(partition(table, study));
    if (useCatalog) {
      register(table);
    }
  }

  /** Deletes the study's rows of a table (the next write or append registers it again). */
  public void dropPartition(Tables.Table table, String study) {
    Path path = new Path(partition(table, study));
    try {
      fs(path).delete(path, true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The study's rows of a table (without the {@code study} column); empty when it has none yet. */
  public Dataset<Row> readStudy(Tables.Table table, String study) {
    Path path = new Path(partition(table, study));
    try {
      if (!fs(path).exists(path)) {
        return spark.createDataFrame(List.of(), table.schema());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return spark.read().schema(table.schema()).parquet(path.toString());
  }

  /** All studies' rows of a table, with the {@code study} column (none when it was never written). */
  public Dataset<Row> read(Tables.Table table) {
    Path path = new Path(location(table));
    try {
      if (!fs(path).exists(path)) {
        return spark.createDataFrame(List.of(), withPartition(table.schema()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return spark.read().schema(withPartition(table.schema())).parquet(location(table));
  }

  private org.apache.hadoop.fs.FileSystem fs(Path path) throws java.io.IOException {
    return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  /**
   * Registers a table in the catalog when it is not there yet (one no study has written to). A
   * registered table is left alone, its writes keep it current, except that columns added to
   * its schema since it was registered (metrics' {@code stage}) are added to the catalog's
   * definition too; rows written before then read them as null.
   */
  public void ensureRegistered(Tables.Table table) {
    if (!useCatalog) {
      return;
    }
    if (!spark.catalog().tableExists(Tables.DATABASE, table.name())) {
      register(table);
      return;
    }
    String name = Tables.DATABASE + "." + table.name();
    List<String> known = java.util.Arrays.asList(spark.table(name).schema().fieldNames());
    String added = java.util.Arrays.stream(table.schema().fields())
        .filter(f -> !known.contains(f.name()))
        .map(f -> "`" + f.name() + "` " + f.dataType().sql())
        .collect(Collectors.joining(", "));
    if (!added.isEmpty()) {
      spark.sql("ALTER TABLE " + name + " ADD COLUMNS (" + added + ")");
      spark.sql("REFRESH TABLE " + name);
    }
  }

  private void register(Tables.Table table) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + Tables.DATABASE);
    String name = Tables.DATABASE + "." + table.name();
    if (!spark.catalog().tableExists(Tables.DATABASE, table.name())) {
      try { // a table no study wrote yet (another task's) needs its directory, or Spark logs a stack trace
        Path location = new Path(location(table));
        fs(location).mkdirs(location);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      String columns =
          withPartition(table.schema()).fields().length == 0
              ? ""
              : java.util.Arrays.stream(withPartition(table.schema()).fields())
                  .map(f -> "`" + f.name() + "` " + f.dataType().sql())
                  .collect(Collectors.joining(", "));
      spark.sql(
          "CREATE TABLE " + name + " (" + columns + ") USING parquet PARTITIONED BY ("
              + Tables.PARTITION + ") LOCATION '" + location(table).replace("'", "\\'") + "'");
    }
    spark.sql("MSCK REPAIR TABLE " + name);
    spark.sql("REFRESH TABLE " + name);
  }

  private static StructType withPartition(StructType schema) {
    return schema.add(Tables.PARTITION, org.apache.spark.sql.types.DataTypes.StringType, false);
  }
}
