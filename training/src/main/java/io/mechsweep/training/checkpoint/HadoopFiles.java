package io.mechsweep.training.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Atomic writes through the Hadoop FileSystem API, usable on executors.
 *
 * <p>{@link Configuration} is not serializable, so its entries travel as a map and the
 * configuration is rebuilt where it is used.
 */
public final class HadoopFiles implements StoreFiles {
  private final Map<String, String> conf;
  private transient Configuration configuration;

  public HadoopFiles(Configuration conf) {
    Map<String, String> entries = new TreeMap<>();
    conf.forEach(e -> entries.put(e.getKey(), e.getValue()));
    this.conf = entries;
  }

  /** Hadoop's default configuration (core-site.xml etc. from the classpath). */
  public static HadoopFiles forDefaultConfiguration() {
    return new HadoopFiles(new Configuration());
  }

  public Configuration configuration() {
    if (configuration == null) {
      Configuration c = new Configuration(false);
      conf.forEach(c::set);
      configuration = c;
    }
    return configuration;
  }

  public FileSystem fs(Path path) throws IOException {
    return path.getFileSystem(configuration());
  }

  /** Writes to a hidden sibling, then renames: readers see the old file or the whole new one. */
  public void writeAtomically(Path path, byte[] bytes) throws IOException {
    FileSystem fs = fs(path);
    Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp-" + UUID.randomUUID());
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(bytes);
    }
    fs.delete(path, false);
    if (!fs.rename(tmp, path)) {
      fs.delete(tmp, false);
      throw new IOException("could not rename " + tmp + " to " + path);
    }
  }

  public byte[] read(Path path) throws IOException {
    try (InputStream in = fs(path).open(path)) {
      return in.readAllBytes();
    } catch (org.apache.hadoop.fs.ChecksumException e) { // the file system's own checksum caught it
      throw new CorruptFileException(path.getName() + ": " + e.getMessage(), e);
    }
  }

  public boolean exists(Path path) throws IOException {
    return fs(path).exists(path);
  }

  @Override
  public void writeAtomically(String path, byte[] bytes) throws IOException {
    writeAtomically(new Path(path), bytes);
  }

  @Override
  public byte[] read(String path) throws IOException {
    return read(new Path(path));
  }

  @Override
  public boolean exists(String path) throws IOException {
    return exists(new Path(path));
  }

  @Override
  public List<String> subdirectories(String dir) throws IOException {
    Path d = new Path(dir);
    FileSystem fs = fs(d);
    List<String> names = new ArrayList<>();
    if (fs.exists(d)) {
      for (FileStatus status : fs.listStatus(d)) {
        if (status.isDirectory()) {
          names.add(status.getPath().getName());
        }
      }
    }
    return names;
  }
}
