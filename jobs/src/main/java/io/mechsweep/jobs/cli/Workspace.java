package io.mechsweep.jobs.cli;

import org.apache.spark.sql.SparkSession;

/**
 * What a command holds while it works on a root: the writer's lock (none for readers), its Spark
 * session, and the scratch files that session leaves under the root. Closing stops the session,
 * releases the lock and removes the scratch, whatever happened.
 */
final class Workspace implements AutoCloseable {
  private final CommonOptions common;
  private final RootLock lock;
  private final SparkSession spark;

  private Workspace(CommonOptions common, RootLock lock, SparkSession spark) {
    this.common = common;
    this.lock = lock;
    this.spark = spark;
  }

  /** A writing command's: the root checked writable, locked, then the session. */
  static Workspace writing(CommonOptions common, String command) throws java.io.IOException {
    RootLock lock = common.lockForWriting(command);
    try {
      return new Workspace(common, lock, common.session(command));
    } catch (RuntimeException e) {
      lock.close();
      common.removeScratch();
      throw e;
    }
  }

  /** A reading command's (sql, report): no lock; the tables read as {@link CommonOptions#readingSession} says. */
  static Workspace reading(CommonOptions common, String command) throws java.io.IOException {
    try {
      return new Workspace(common, null, common.readingSession(command));
    } catch (RuntimeException | java.io.IOException e) {
      common.removeScratch();
      throw e;
    }
  }

  SparkSession spark() {
    return spark;
  }

  String root() {
    return common.resolvedRoot();
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      spark.stop();
    } finally {
      try {
        if (lock != null) {
          lock.close();
        }
      } finally {
        common.removeScratch();
      }
    }
  }
}
