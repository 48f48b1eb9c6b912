package io.mechsweep.datagen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a dataset directory holds, written last so that its presence marks a complete dataset.
 *
 * @param datasetId stable hash of (task, spec)
 * @param spec the generator's parameters, as written in the study config
 * @param splitRows rows per split, checked again when the dataset is read
 */
public record DatasetMetadata(
    String datasetId,
    String task,
    long seed,
    Map<String, Object> spec,
    Map<String, Long> splitRows,
    long totalRows,
    double generationSeconds) {

  public static final String FILE_NAME = "_mechsweep_dataset.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** A short, stable id: the first 12 hex digits of SHA-256 over the canonical JSON. */
  public static String idOf(String task, Object spec) {
    try {
      Map<String, Object> canonical = new TreeMap<>();
      canonical.put("task", task);
      canonical.put("spec", JSON.convertValue(spec, Map.class));
      byte[] bytes = JSON.writeValueAsBytes(canonical);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(Object spec) {
    return new TreeMap<>(JSON.convertValue(spec, Map.class));
  }

  public void write(String dir, Configuration conf) throws IOException {
    Path path = new Path(dir, FILE_NAME);
    FileSystem fs = path.getFileSystem(conf);
    Path tmp = new Path(dir, "." + FILE_NAME + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
    fs.delete(path, false);
    if (!fs.rename(tmp, path)) {
      throw new IOException("could not move " + tmp + " to " + path);
    }
  }

  /** The metadata of a complete dataset, or empty when the directory has none. */
  public static java.util.Optional<DatasetMetadata> read(String dir, Configuration conf)
      throws IOException {
    Path path = new Path(dir, FILE_NAME);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      return java.util.Optional.empty();
    }
    try (InputStream in = fs.open(path)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return java.util.Optional.of(JSON.readValue(text, DatasetMetadata.class));
    }
  }
}
