package io.mechsweep.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.jobs.stages.SparkSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writing command per root: {@code <root>/mechsweep.lock} names its holder. A second writer
 * stops at once with a line naming the holder; a lock whose holder ran on this host and is gone
 * (killed) is stale and taken over, saying so. Readers ({@code sql}, {@code report}) never take
 * it: they read the tables by path, and every table write is an atomic swap.
 */
public final class RootLock implements AutoCloseable {
  public static final String FILE = "mechsweep.lock";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who holds a root: enough to find it ({@code ps}, {@code kill}) and judge whether it is alive. */
  public record Holder(long pid, String host, String command, String since) {
    static Holder current(String command) {
      return new Holder(ProcessHandle.current().pid(), hostName(), command, Instant.now().toString());
    }

    /** Held by a process of this host that no longer runs. Another host's lock is never judged stale. */
    boolean stale() {
      return host.equals(hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    String describe() {
      return "`mechsweep " + command + "` (pid " + pid + " on " + host + ", since " + since + ")";
    }
  }

  private final Path file;
  private final FileSystem fs;
  private final Holder holder;
  private final Thread cleanup;

  private RootLock(Path file, FileSystem fs, Holder holder) {
    this.file = file;
    this.fs = fs;
    this.holder = holder;
    this.cleanup = new Thread(this::release, "mechsweep-root-lock");
    Runtime.getRuntime().addShutdownHook(cleanup); // an interrupted (not killed) command lets go too
  }

  /**
   * Takes the root for {@code command}, or throws a one-line {@link IOException} naming the
   * holder and what to do.
   */
  public static RootLock acquire(String root, String command, PrintStream out) throws IOException {
    Path file = new Path(root, FILE);
    FileSystem fs = file.getFileSystem(new Configuration());
    Holder me = Holder.current(command);
    byte[] content = JSON.writeValueAsBytes(me);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (createExclusively(root, file, fs, content)) {
        return new RootLock(file, fs, me);
      }
      Holder other = read(fs, file);
      if (other == null) {
        continue; // released in between, or not written yet: look again
      }
      if (!other.stale()) {
        throw new io.mechsweep.datagen.BadInputException("root " + root + " is in use by " + other.describe()
            + "; wait for it to finish or stop it (only one command may write a root at a time; if that process is"
            + " gone and ran on another host, which cannot be checked from here, delete " + file + ")");
      }
      out.println("mechsweep: taking over the stale lock of " + other.describe()
          + ", which is no longer running");
      fs.delete(file, false);
    }
    throw new IOException("could not lock root " + root + ": " + new Path(root, FILE)
        + " keeps changing; another command is starting there");
  }

  /**
   * Creates the lock file with its content in one step: locally by hard-linking a finished
   * temporary file (a reader never sees it empty), elsewhere by the file system's exclusive create.
   */
  private static boolean createExclusively(String root, Path file, FileSystem fs, byte[] content) throws IOException {
    java.nio.file.Path local = SparkSessions.localPath(root);
    if (local != null) {
      Files.createDirectories(local);
      java.nio.file.Path temp = Files.createTempFile(local, ".mechsweep-lock-", ".tmp");
      try {
        Files.write(temp, content);
        Files.createLink(local.resolve(FILE), temp);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    try (FSDataOutputStream o = fs.create(file, false)) {
      o.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The holder recorded in the lock file; null when it is gone. */
  private static Holder read(FileSystem fs, Path file) throws IOException {
    try (var in = fs.open(file)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      try {
        return JSON.readValue(text, Holder.class);
      } catch (IOException e) {
        throw new io.mechsweep.datagen.BadInputException("the lock file " + file + " is not mechsweep's (" + text.strip()
            + "); if no mechsweep command runs on this root, delete it");
      }
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private synchronized void release() {
    try {
      Holder now = read(fs, file);
      if (holder.equals(now)) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      // the root went away or is unreadable: nothing left to release
    }
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs release() once more, harmlessly
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
