package io.mechsweep.jobs.stages;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.checkpoint.HadoopFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * The settings of a study that are not part of any run id (a run's numbers do not depend on
 * them) but decide what lands in the tables, recorded at {@code <root>/studies/<study>.json}
 * after each run of the study, so that the next run can tell the user what a change does.
 */
public record StudySettings(int checkpointEvery, int probeRowsPerSet) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static StudySettings of(StudyConfig config) {
    return new StudySettings(config.checkpointEvery(), config.probes().rowsPerSet());
  }

  private static Path path(String root, String study) {
    return new Path(new Path(root, "studies"), study + ".json");
  }

  public static Optional<StudySettings> read(HadoopFiles files, String root, String study) throws IOException {
    Path path = path(root, study);
    if (!files.exists(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(files.read(path), StudySettings.class));
    } catch (IOException e) { // unreadable: treat as unknown, and the probes are redone to be safe
      return Optional.of(new StudySettings(-1, -1));
    }
  }

  public void write(HadoopFiles files, String root, String study) throws IOException {
    files.writeAtomically(path(root, study), JSON.writeValueAsBytes(this));
  }

  /**
   * Says what changed since {@code before} and what it does; returns whether every checkpoint
   * must be probed again (the probe rows were computed on differently sized probe sets).
   */
  public boolean announceChanges(Optional<StudySettings> before, PrintStream out) {
    if (before.isEmpty()) {
      return false;
    }
    StudySettings b = before.get();
    if (b.checkpointEvery != checkpointEvery) {
      out.printf("checkpoints: checkpoints.every_steps changed from %d to %d since this study last ran: unfinished"
          + " runs continue at the new cadence; finished runs keep the checkpoints they have (a run is not"
          + " retrained for this; delete its results/<run_id>.json to retrain it)%n", b.checkpointEvery, checkpointEvery);
    }
    if (b.probeRowsPerSet != probeRowsPerSet) {
      out.printf("probes: probes.rows_per_set changed from %d to %d since this study last ran: probing every"
          + " checkpoint again%n", b.probeRowsPerSet, probeRowsPerSet);
      return true;
    }
    return false;
  }
}
