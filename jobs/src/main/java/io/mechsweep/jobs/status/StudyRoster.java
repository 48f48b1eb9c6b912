package io.mechsweep.jobs.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.training.checkpoint.HadoopFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The runs a study is training, written under the root when training starts
 * ({@code studies/<study>/runs.json}), so that {@code mechsweep status} can tell who is who
 * while the tables do not have them yet.
 */
public record StudyRoster(String study, String task, List<Entry> runs) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run: its id, its readable name, the pack that trains it now (null: nothing to train), its steps. */
  public record Entry(@JsonProperty("run_id") String runId, String name, String pack, int steps) {}

  static Path path(String root, String study) {
    return new Path(new Path(new Path(root, "studies"), study), "runs.json");
  }

  public void write(HadoopFiles files, String root) throws IOException {
    files.writeAtomically(path(root, study), JSON.writeValueAsBytes(this));
  }

  public static Optional<StudyRoster> read(HadoopFiles files, String root, String study) throws IOException {
    Path path = path(root, study);
    return files.exists(path) ? Optional.of(JSON.readValue(files.read(path), StudyRoster.class)) : Optional.empty();
  }

  /** The studies with a roster under the root, by name. */
  public static List<String> studies(HadoopFiles files, String root) throws IOException {
    Path dir = new Path(root, "studies");
    List<String> out = new ArrayList<>();
    if (!files.exists(dir)) {
      return out;
    }
    for (FileStatus s : files.fs(dir).listStatus(dir)) {
      if (s.isDirectory() && files.exists(new Path(s.getPath(), "runs.json"))) {
        out.add(s.getPath().getName());
      }
    }
    out.sort(null);
    return out;
  }
}
