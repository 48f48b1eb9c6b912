package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.stages.CatalogPassword;
import io.mechsweep.jobs.stages.SparkSessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every command shares (a picocli mixin), and what they decide: the root, the catalog, the Spark session. */
final class CommonOptions {
  @Option(
      names = "--root",
      defaultValue = "${env:MECHSWEEP_ROOT:-mechsweep-out}",
      description = "Where datasets, checkpoints and tables go: a local path or any Hadoop"
          + " FileSystem URI (hdfs://…, s3a://…). Default: $MECHSWEEP_ROOT or ./mechsweep-out.")
  String root;

  @Option(
      names = "--catalog",
      defaultValue = "${env:MECHSWEEP_CATALOG:-embedded}",
      description = "Table catalog: embedded (Derby metastore under <root>/catalog; one JVM at a"
          + " time), a JDBC URL jdbc:postgresql://… (a Hive metastore in that database, shared by"
          + " every JVM that names it: see bin/catalog-db), session (the Hive metastore your Spark"
          + " config points to), none (paths only). Default: $MECHSWEEP_CATALOG or embedded.")
  String catalog;

  @Option(names = "--catalog-password-file", paramLabel = "FILE",
      description = "With a JDBC --catalog: a file whose first line is the database's password (e.g. a"
          + " mounted secret). Default: $MECHSWEEP_CATALOG_PASSWORD_FILE, else $PGPASSWORD, else the matching line"
          + " of $PGPASSFILE or ~/.pgpass, else none. A password in the URL is refused: it shows in the process list.")
  String catalogPasswordFile;

  @Option(
      names = "--conf",
      description = "Extra Spark setting key=value for local runs, e.g. --conf spark.task.cpus=2"
          + " (threads per training task).")
  Map<String, String> conf = new LinkedHashMap<>();

  SparkSessions.Catalog catalogMode() {
    if (SparkSessions.isMetastoreUrl(catalog)) {
      return SparkSessions.Catalog.SESSION;
    }
    try {
      SparkSessions.Catalog mode = SparkSessions.Catalog.valueOf(catalog.toUpperCase(java.util.Locale.ROOT));
      if (mode == SparkSessions.Catalog.IN_MEMORY) {
        throw new IllegalArgumentException("reading commands choose it themselves");
      }
      return mode;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--catalog: got '" + catalog
          + "'; allowed: embedded, session, none, or a metastore database's JDBC URL jdbc:postgresql://…");
    }
  }

  /** --conf, plus the metastore connection when --catalog is a JDBC URL. */
  Map<String, String> sparkSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    if (SparkSessions.isMetastoreUrl(catalog)) {
      settings.putAll(SparkSessions.sharedMetastore(catalog, catalogPassword()));
    }
    settings.putAll(conf);
    return settings;
  }

  private java.util.Optional<String> catalogPassword() {
    return CatalogPassword.resolve(catalog, catalogPasswordFile, System.getenv());
  }

  /** A JDBC catalog's password found and its login tried, before the command touches the root. */
  void requireCatalogLogin() {
    if (SparkSessions.isMetastoreUrl(catalog)) {
      CatalogPassword.requireLogin(catalog, catalogPassword());
    }
  }

  String resolvedRoot() {
    return SparkSessions.resolveRoot(root);
  }

  private java.util.Set<String> scratchBefore = java.util.Set.of();

  /** The command's Spark session; {@link #removeScratch} after it stopped. */
  SparkSession session(String command) {
    scratchBefore = SparkSessions.hiveScratchEntries(resolvedRoot());
    return SparkSessions.create("mechsweep " + command, resolvedRoot(), catalogMode(), sparkSettings());
  }

  /** Removes the scratch files the stopped session left under the root (and a reader's catalog directory). */
  void removeScratch() {
    SparkSessions.removeScratchSince(resolvedRoot(), scratchBefore);
    if (readerWarehouse != null) {
      try (var files = java.nio.file.Files.walk(readerWarehouse)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        // best effort: an empty directory in the temporary directory
      }
    }
  }

  /** For commands that only read (sql, report): a root that does not exist is a typo, never created. */
  void requireExistingRoot() throws java.io.IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(resolvedRoot());
    if (!path.getFileSystem(new org.apache.hadoop.conf.Configuration()).exists(path)) {
      throw new io.mechsweep.datagen.BadInputException("no mechsweep root at " + resolvedRoot() + ": nothing has run there;"
          + " check --root (or $MECHSWEEP_ROOT)");
    }
  }

  /**
   * For commands that write: a local root must be a directory this process can create files
   * in. Tried for real (create the root, a file in it, delete the file): permission bits do not
   * tell for a superuser or a read-only mount.
   */
  void requireWritableRoot() throws java.io.IOException {
    Path local = SparkSessions.localPath(resolvedRoot());
    if (local == null) {
      return; // a remote file system says so itself on the first write
    }
    try {
      java.nio.file.Files.createDirectories(local);
      java.nio.file.Files.delete(java.nio.file.Files.createTempFile(local, ".mechsweep-write-check-", ""));
    } catch (java.io.IOException | UnsupportedOperationException e) {
      throw new io.mechsweep.datagen.BadInputException("root " + resolvedRoot() + " is not writable (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "); choose another --root", e);
    }
  }

  /** The root for a writing command, after checking it is writable: stops when another command writes it. */
  RootLock lockForWriting(String command) throws java.io.IOException {
    requireCatalogLogin();
    requireWritableRoot();
    return RootLock.acquire(resolvedRoot(), command, System.out);
  }

  /**
   * The Spark session of a reading command (sql, report). With the embedded catalog it reads
   * the tables by path, registered afresh in the session's in-memory catalog under the same
   * names: embedded Derby admits one JVM, so a reader must not need it while a study writes,
   * and a copied or moved root is always read from where it is now.
   */
  SparkSession readingSession(String command) throws java.io.IOException {
    requireCatalogLogin();
    scratchBefore = SparkSessions.hiveScratchEntries(resolvedRoot());
    if (catalogMode() != SparkSessions.Catalog.EMBEDDED) {
      return SparkSessions.create("mechsweep " + command, resolvedRoot(), catalogMode(), sparkSettings());
    }
    // Spark makes a directory for each database of its catalog, and its block manager's: outside
    // the root, which a reader never writes (it may be read-only), removed when the command ends.
    readerWarehouse = java.nio.file.Files.createTempDirectory("mechsweep-" + command + "-");
    Map<String, String> settings = new LinkedHashMap<>(conf);
    settings.putIfAbsent("spark.sql.warehouse.dir", readerWarehouse.resolve("catalog").toUri().toString());
    settings.putIfAbsent("spark.local.dir", readerWarehouse.resolve("spark").toString());
    return SparkSessions.create("mechsweep " + command, resolvedRoot(), SparkSessions.Catalog.IN_MEMORY, settings);
  }

  private Path readerWarehouse;
}
