package io.mechsweep.analysis.tables;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Swaps two directories in one step on a local Linux file system: {@code renameat2} with
 * {@code RENAME_EXCHANGE}, which Java does not expose. A reader that opens either path sees the
 * old or the new directory, never a moment without one: what lets a table partition be replaced
 * while another JVM queries it. Elsewhere (HDFS, S3, other systems) it reports that it cannot.
 */
final class DirectoryExchange {
  private static final int AT_FDCWD = -100;
  private static final int RENAME_EXCHANGE = 2;

  private DirectoryExchange() {}

  /** Exchanges the two existing directories; false (nothing changed) where that is not possible here. */
  static boolean exchange(FileSystem fs, Path a, Path b) {
    java.io.File fileA = localFile(fs, a);
    java.io.File fileB = localFile(fs, b);
    if (fileA == null || fileB == null || !Platform.isLinux()) {
      return false;
    }
    try {
      Function renameat2 = NativeLibrary.getInstance("c").getFunction("renameat2");
      return renameat2.invokeInt(new Object[] {AT_FDCWD, fileA.getAbsolutePath(), AT_FDCWD, fileB.getAbsolutePath(),
          RENAME_EXCHANGE}) == 0;
    } catch (UnsatisfiedLinkError e) { // a C library without renameat2 (glibc before 2.28)
      return false;
    }
  }

  private static java.io.File localFile(FileSystem fs, Path path) {
    if (fs instanceof LocalFileSystem local) {
      return local.pathToFile(path);
    }
    if (fs instanceof RawLocalFileSystem raw) {
      return raw.pathToFile(path);
    }
    return null;
  }
}
