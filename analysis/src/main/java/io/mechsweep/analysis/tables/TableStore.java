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
  private final boolean readOnly;

  public TableStore(SparkSession spark, String root, boolean useCatalog) {
    this(spark, root, useCatalog, false);
  }

  private TableStore(SparkSession spark, String root, boolean useCatalog, boolean readOnly) {
    this.spark = spark;
    this.root = root;
    this.useCatalog = useCatalog;
    this.readOnly = readOnly;
  }

  /**
   * A store for a reading command, over a fresh catalog of its own session (Spark's in-memory
   * one): it registers the root's tables by path and writes nothing under the root, so it works
   * on a read-only root and beside a study that is writing.
   */
  public static TableStore reading(SparkSession spark, String root) {
    return new TableStore(spark, root, true, true);
  }

  public String location(Tables.Table table) {
    return new Path(new Path(root, "tables"), table.name()).toString();
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
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
    replace(table, study, frame(table, rows));
  }

  /** {@code rows} as a one-partition frame of the table's schema (one file per small write). */
  public Dataset<Row> frame(Tables.Table table, List<Row> rows) {
    return spark.createDataFrame(rows, table.schema()).coalesce(1);
  }

  /**
   * The study's rows whose {@code key} none of {@code fresh}'s rows has: what a rewrite keeps of
   * earlier grids' runs (or datasets) when a study's config changed.
   */
  public Dataset<Row> others(Tables.Table table, String study, Dataset<Row> fresh, String key) {
    try { // a writer killed mid-swap must not make the study's earlier rows look absent
      Path base = new Path(location(table));
      recover(fs(base), base, new Path(partition(table, study)), study);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return readStudy(table, study).join(fresh.select(key).distinct(), key, "left_anti");
  }

  /**
   * Replaces the study's partition with {@code rows} so that a reader sees it whole, before or
   * after, never half: the rows are written to a hidden staging directory ({@code _staging/},
   * which Spark and other Parquet readers skip), and only then swapped in. On a local Linux root
   * the swap is one atomic exchange of the two directories, so a reader never finds the partition
   * missing; elsewhere (HDFS, S3) it is two renames, and a reader listing between them finds no
   * partition for an instant. A reader that listed the old files before the swap fails on a
   * missing file, an error to retry (mechsweep's readers do), never a silent mix. {@code rows}
   * may read the partition it replaces: the old files stay in place until the new ones are
   * complete.
   */
  public void replace(Tables.Table table, String study, Dataset<Row> rows) {
    Path base = new Path(location(table));
    Path live = new Path(partition(table, study));
    String version = study + "-" + java.util.UUID.randomUUID();
    Path staging = new Path(new Path(base, STAGING), version);
    Path retired = new Path(new Path(base, RETIRED), version);
    try {
      org.apache.hadoop.fs.FileSystem fs = fs(base);
      recover(fs, base, live, study);
      rows.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
      boolean had = fs.exists(live);
      if (had && DirectoryExchange.exchange(fs, staging, live)) {
        fs.delete(staging, true); // now the old rows
      } else {
        fs.mkdirs(retired.getParent());
        if (had && !fs.rename(live, retired)) {
          throw new java.io.IOException("could not move " + live + " aside to " + retired);
        }
        if (!fs.rename(staging, live)) {
          if (had) {
            fs.rename(retired, live);
          }
          throw new java.io.IOException("could not move the new rows " + staging + " to " + live);
        }
        if (had) {
          fs.delete(retired, true);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (useCatalog) {
      ensureRegistered(table);
      repair(table);
    }
  }

  /**
   * Undoes what a writer killed mid-swap left: staging directories of the study are dropped, and
   * when the live partition is missing while a retired one exists (killed between the two
   * renames), the retired one goes back. One writer per root makes this safe.
   */
  private static void recover(org.apache.hadoop.fs.FileSystem fs, Path base, Path live, String study)
      throws java.io.IOException {
    for (String dir : List.of(STAGING, RETIRED)) {
      Path parent = new Path(base, dir);
      if (!fs.exists(parent)) {
        continue;
      }
      for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(parent)) {
        String name = st.getPath().getName();
        if (!name.startsWith(study + "-") || name.length() != study.length() + 37) {
          continue; // another study's (a UUID is 36 characters)
        }
        if (dir.equals(RETIRED) && !fs.exists(live)) {
          fs.rename(st.getPath(), live);
        } else {
          fs.delete(st.getPath(), true);
        }
      }
    }
  }

  private static final String STAGING = "_staging";
  private static final String RETIRED = "_retired";

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
    String name = Tables.DATABASE + "." + table.name();
    if (!readOnly && spark.catalog().tableExists(Tables.DATABASE, table.name()) && !registeredHere(name, table)) {
      // The root was copied or moved: the catalog still names the old place. Re-register the
      // table here (it is external: dropping it deletes no file), so it never shows another root's rows.
      spark.sql("DROP TABLE " + name);
    }
    if (!spark.catalog().tableExists(Tables.DATABASE, table.name())) {
      register(table);
      return;
    }
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

  /** Whether the catalog's location of the table is this root's. */
  private boolean registeredHere(String name, Tables.Table table) {
    List<Row> location = spark.sql("DESCRIBE TABLE EXTENDED " + name).where("col_name = 'Location'").collectAsList();
    if (location.isEmpty()) {
      return false;
    }
    try {
      Path expected = new Path(location(table));
      Path registered = new Path(location.get(0).getString(1));
      return fs(expected).makeQualified(expected).equals(fs(registered).makeQualified(registered));
    } catch (java.io.IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private void register(Tables.Table table) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + Tables.DATABASE);
    String name = Tables.DATABASE + "." + table.name();
    if (!spark.catalog().tableExists(Tables.DATABASE, table.name()) && readOnly && !exists(location(table))) {
      // A reader creates no directory: a table no study wrote yet is an empty view of its columns.
      String columns = java.util.Arrays.stream(withPartition(table.schema()).fields())
          .map(f -> "CAST(NULL AS " + f.dataType().sql() + ") AS `" + f.name() + "`")
          .collect(Collectors.joining(", "));
      spark.sql("CREATE VIEW " + name + " AS SELECT " + columns + " WHERE false");
      return;
    }
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
    repair(table);
  }

  /** Picks up partitions written since the catalog last looked, and drops its cached file lists. */
  private void repair(Tables.Table table) {
    String name = Tables.DATABASE + "." + table.name();
    spark.sql("MSCK REPAIR TABLE " + name);
    spark.sql("REFRESH TABLE " + name);
  }

  private boolean exists(String path) {
    try {
      Path p = new Path(path);
      return fs(p).exists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static StructType withPartition(StructType schema) {
    return schema.add(Tables.PARTITION, org.apache.spark.sql.types.DataTypes.StringType, false);
  }
}
