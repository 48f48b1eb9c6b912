package io.mechsweep.jobs.stages;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a command. Settings from spark-submit win; without them mechsweep runs in
 * {@code local[*]} with the embedded catalog (Hive metastore in Derby under the root).
 */
public final class SparkSessions {
  /**
   * Where table names live: embedded Derby, the session's own catalog (Hive metastore), Spark's
   * in-memory catalog filled from the root's table paths (what reading commands use instead of
   * Derby), or none (temporary views over the paths).
   */
  public enum Catalog {
    EMBEDDED,
    SESSION,
    IN_MEMORY,
    NONE
  }

  private SparkSessions() {}

  public static SparkSession create(String appName, String root, Catalog catalog, Map<String, String> extra) {
    SparkConf conf = new SparkConf(); // reads the spark.* properties spark-submit sets
    conf.setIfMissing("spark.master", "local[*]");
    conf.setAppName(appName);
    boolean local = conf.get("spark.master").startsWith("local");
    if (local) {
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.sql.shuffle.partitions", "4");
    }
    // Fair scheduling lets the tables of a finished pack be written while other packs still
    // train (TrainingStage): FIFO would queue that write behind every pending pack.
    conf.setIfMissing("spark.scheduler.mode", "FAIR");
    conf.setIfMissing("spark.sql.warehouse.dir", new org.apache.hadoop.fs.Path(root, "warehouse").toString());
    File scratch = scratchDir(root);
    if (local && scratch != null) {
      // Spark's block manager and shuffle files, and the Hive session's resources directory, go
      // under the root instead of /tmp: a kill leaves them there, and a normal stop removes them.
      conf.setIfMissing("spark.local.dir", new File(scratch, "spark").getAbsolutePath());
      conf.setIfMissing("spark.hadoop.hive.downloaded.resources.dir",
          new File(scratch, "hive").getAbsolutePath() + File.separator + "${hive.session.id}_resources");
    }
    extra.forEach(conf::set);
    SparkSession.Builder builder = SparkSession.builder().config(conf);
    if (catalog == Catalog.EMBEDDED) {
      File dir = embeddedCatalogDir(root);
      dir.mkdirs();
      System.setProperty("derby.system.home", dir.getAbsolutePath());
      builder
          .config("spark.sql.catalogImplementation", "hive")
          .config(
              "spark.hadoop.javax.jdo.option.ConnectionURL",
              "jdbc:derby:;databaseName=" + new File(dir, "metastore_db").getAbsolutePath() + ";create=true");
    } else if (catalog == Catalog.SESSION) {
      builder.enableHiveSupport();
    } else {
      builder.config("spark.sql.catalogImplementation", "in-memory");
    }
    return builder.getOrCreate();
  }

  /** Whether a --catalog value names a metastore database rather than a mode. */
  public static boolean isMetastoreUrl(String catalog) {
    return catalog.startsWith("jdbc:");
  }

  /**
   * The Spark settings of a Hive metastore kept in the database at {@code jdbcUrl} (PostgreSQL:
   * the user in the URL, {@code ?user=…}; the password from {@link CatalogPassword}, never in the
   * URL): Spark's built-in Hive client talks to it through DataNucleus, which creates the
   * metastore's tables on first use. Any number of JVMs may use it at once; each sees the others'
   * tables and partitions. Spark redacts the password setting wherever it shows its settings.
   */
  public static Map<String, String> sharedMetastore(String jdbcUrl, java.util.Optional<String> password) {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("spark.sql.catalogImplementation", "hive");
    settings.put("spark.hadoop.javax.jdo.option.ConnectionURL", jdbcUrl);
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      settings.put("spark.hadoop.javax.jdo.option.ConnectionDriverName", "org.postgresql.Driver");
    }
    // Hive's own defaults (user APP, password mine) would override the URL's user.
    settings.put("spark.hadoop.javax.jdo.option.ConnectionUserName", CatalogPassword.user(jdbcUrl));
    settings.put("spark.hadoop.javax.jdo.option.ConnectionPassword", password.orElse(""));
    // DataNucleus creates the metastore's tables as it first needs them, on a second connection.
    // Adding a foreign key there waits for the first connection's open transaction, which waits
    // for it (a deadlock seen here on PostgreSQL): tables and columns yes, constraints no.
    settings.put("spark.hadoop.datanucleus.schema.autoCreateAll", "false");
    settings.put("spark.hadoop.datanucleus.schema.autoCreateTables", "true");
    settings.put("spark.hadoop.datanucleus.schema.autoCreateColumns", "true");
    settings.put("spark.hadoop.datanucleus.schema.autoCreateConstraints", "false");
    settings.put("spark.hadoop.hive.metastore.schema.verification", "false");
    return settings;
  }

  /** {@code <root>/tmp} for a local root, else null (scratch space stays where Spark puts it). */
  public static File scratchDir(String root) {
    Path local = localPath(root);
    return local == null ? null : local.resolve("tmp").toFile();
  }

  /** The root as a local path, or null when it lives on another file system (hdfs://, s3a://). */
  public static Path localPath(String root) {
    URI uri = URI.create(root.replace(" ", "%20"));
    if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
      return Path.of(uri.getScheme() == null ? root : uri.getPath());
    }
    return null;
  }

  /** The entries of the root's Hive scratch directory now (to tell this session's from others'). */
  public static java.util.Set<String> hiveScratchEntries(String root) {
    File scratch = scratchDir(root);
    String[] names = scratch == null ? null : new File(scratch, "hive").list();
    return names == null ? java.util.Set.of() : java.util.Set.of(names);
  }

  /**
   * Removes what a stopped session left in the root's Hive scratch directory: the entries that
   * were not there before it started (a command running beside it keeps its own). Spark removes
   * its own local directories when it stops.
   */
  public static void removeScratchSince(String root, java.util.Set<String> before) {
    File scratch = scratchDir(root);
    File[] entries = scratch == null ? null : new File(scratch, "hive").listFiles();
    for (File entry : entries == null ? new File[0] : entries) {
      if (!before.contains(entry.getName())) {
        try (var files = java.nio.file.Files.walk(entry.toPath())) {
          files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (java.io.IOException e) {
          // best effort: what is left stays under the root's tmp/
        }
      }
    }
  }

  /** {@code <root>/catalog} when the root is local; Derby cannot live on HDFS or S3. */
  public static File embeddedCatalogDir(String root) {
    Path local = localPath(root);
    return local == null ? new File("mechsweep-catalog").getAbsoluteFile() : local.resolve("catalog").toFile();
  }

  /** A root given without a scheme becomes an absolute local path. */
  public static String resolveRoot(String root) {
    URI uri = URI.create(root.replace(" ", "%20"));
    if (uri.getScheme() == null) {
      return Path.of(root).toAbsolutePath().normalize().toString();
    }
    return root;
  }
}
