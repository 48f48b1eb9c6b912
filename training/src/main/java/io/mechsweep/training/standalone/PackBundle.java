package io.mechsweep.training.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.bench.TrainingBenchmark;
import io.mechsweep.training.checkpoint.RunStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A study's unfinished packs with everything training them needs, written by {@code mechsweep
 * export-packs} on a Spark machine for {@link TrainPacks} on a machine without Spark (a GPU box):
 * the packs, the task's training and evaluation data (what Spark broadcasts to the training
 * tasks), and each run's resolved config as JSON (recorded in its checkpoints, as a study does).
 *
 * <p>On disk: {@code packs.bin.gz} (Java serialization, gzip) and {@code manifest.json}, which
 * names the study, the packs and their runs, and the SHA-256 of {@code packs.bin.gz}: a bundle
 * that was cut short or changed is refused before anything trains. {@code reference-config.json}
 * describes the first pack's model for {@code training/python/reference.py bench --config}.
 */
public record PackBundle(String study, String datasetId, List<PackSpec> packs, Map<String, String> runConfigs,
    TaskData data) implements Serializable {
  public static final String DATA_FILE = "packs.bin.gz";
  public static final String MANIFEST = "manifest.json";
  public static final String REFERENCE_CONFIG = "reference-config.json";
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public PackBundle {
    if (packs.isEmpty()) {
      throw new IllegalArgumentException("a bundle needs at least one pack");
    }
    packs = List.copyOf(packs);
    runConfigs = Map.copyOf(runConfigs);
  }

  /** The resolved run configs as the checkpoints record them (JSON trees, by run id). */
  public Map<String, Object> checkpointConfigs() throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : runConfigs.entrySet()) {
      out.put(e.getKey(), JSON.readTree(e.getValue()));
    }
    return out;
  }

  public int runCount() {
    return packs.stream().mapToInt(PackSpec::size).sum();
  }

  /** Writes the bundle into {@code dir} (created; an earlier bundle there is replaced). */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(bytes))) {
      out.writeObject(this);
    }
    byte[] data = bytes.toByteArray();
    Files.write(dir.resolve(DATA_FILE), data);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("study", study);
    manifest.put("dataset_id", datasetId);
    manifest.put("task", this.data.task());
    manifest.put("runs", runCount());
    manifest.put(DATA_FILE + ".sha256", RunStore.sha256(data));
    manifest.put(DATA_FILE + ".bytes", data.length);
    var packList = manifest.putArray("packs");
    for (PackSpec p : packs) {
      ObjectNode pack = packList.addObject();
      pack.put("pack_id", p.packId());
      pack.put("depth", p.model().depth());
      pack.put("steps", p.train().steps());
      var runs = pack.putArray("runs");
      p.members().stream().map(MemberSpec::runId).forEach(runs::add);
    }
    // The first pack's model and member as reference.py bench --config reads them: the PyTorch
    // baseline of this bundle's training speed on the same machine.
    PackSpec first = packs.get(0);
    MemberSpec member = first.members().get(0);
    Files.write(dir.resolve(REFERENCE_CONFIG), JSON.writeValueAsBytes(TrainingBenchmark.referenceConfig(
        new TrainingBenchmark.Setup(this.data.task(), first.model(), this.data, member.init(), member.peakLr(),
            member.weightDecay(), first.train().clipNorm(), first.train().batchSize()))));
    // The manifest last: a bundle whose manifest exists was written whole.
    Files.write(dir.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
  }

  /** Reads a bundle written by {@link #write}; the exception says what is missing or corrupt. */
  public static PackBundle read(Path dir) throws IOException {
    JsonNode manifest;
    byte[] data;
    try {
      manifest = JSON.readTree(Files.readAllBytes(dir.resolve(MANIFEST)));
      data = Files.readAllBytes(dir.resolve(DATA_FILE));
    } catch (NoSuchFileException e) {
      throw new io.mechsweep.datagen.BadInputException("not a complete pack bundle: " + e.getFile() + " is missing"
          + " (write one with `mechsweep export-packs STUDY.yaml --out " + dir + "`)", e);
    }
    if (manifest.path("format").asInt() != FORMAT) {
      throw new io.mechsweep.datagen.BadInputException("pack bundle " + dir + " has format " + manifest.path("format")
          + "; this mechsweep reads format " + FORMAT + ": export it again with this version");
    }
    String expected = manifest.path(DATA_FILE + ".sha256").asText();
    if (!RunStore.sha256(data).equals(expected)) {
      throw new io.mechsweep.datagen.BadInputException("pack bundle " + dir + " is corrupt: " + DATA_FILE + " (" + data.length
          + " bytes) does not match the SHA-256 in " + MANIFEST + " (" + manifest.path(DATA_FILE + ".bytes")
          + " bytes); copy or export it again");
    }
    try (ObjectInputStream in = new ObjectInputStream(new GZIPInputStream(new ByteArrayInputStream(data)))) {
      return (PackBundle) in.readObject();
    } catch (ClassNotFoundException | java.io.InvalidClassException e) {
      throw new io.mechsweep.datagen.BadInputException("pack bundle " + dir + " was written by another mechsweep version (" + e.getMessage()
          + "); export it again with this one", e);
    }
  }
}
