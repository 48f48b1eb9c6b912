package io.mechsweep.training.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Atomic writes through the Hadoop FileSystem API, usable on executors.
 *
 * <p>{@link Configuration} is not serializable, so its entries travel as a map and the
 * configuration is rebuilt where it is used.
 */
public final class HadoopFiles implements Serializable {
  private final Map<String, String> conf;
  private transient Configuration configuration;

  public HadoopFiles(Configuration conf) {
    Map<String, String> entries = new TreeMap<>();
    conf.forEach(e -> entries.put(e.getKey(), e.getValue()));
    this.conf = entries;
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
    }
  }

  public boolean exists(Path path) throws IOException {
    return fs(path).exists(path);
  }
}
