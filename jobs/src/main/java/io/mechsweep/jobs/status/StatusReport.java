package io.mechsweep.jobs.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * What {@code mechsweep status} prints per study, read from the root without its lock while a
 * study may be writing it: the runs finished, running (step, ms per step, time left, from the
 * pack's progress file that training rewrites with each progress line, else its last
 * checkpoint), failed (with the reason) and pending.
 */
public final class StatusReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Failed and running runs listed one per line; more are counted. */
  private static final int LISTED = 20;

  private final HadoopFiles files;
  private final String root;
  private final PrintStream out;

  public StatusReport(HadoopFiles files, String root, PrintStream out) {
    this.files = files;
    this.root = root;
    this.out = out;
  }

  /** Prints {@code study}'s status; false when the root has no roster for it. */
  public boolean print(String study) throws IOException {
    Optional<StudyRoster> roster = StudyRoster.read(files, root, study);
    if (roster.isEmpty()) {
      return false;
    }
    RunStore store = new RunStore(root, files);
    Map<String, List<String>> lines = new LinkedHashMap<>();
    for (String state : List.of("finished", "running", "failed", "pending")) {
      lines.put(state, new ArrayList<>());
    }
    Map<String, JsonNode> packs = new LinkedHashMap<>();
    for (StudyRoster.Entry run : roster.get().runs()) {
      Optional<RunOutcome> result = store.result(run.runId());
      if (result.isPresent()) {
        RunOutcome o = result.get();
        String state = o.finished() ? "finished" : "failed";
        lines.get(state).add(run.name() + " (" + run.runId() + ")" + (o.finished() ? "" : ": " + o.reason()));
        continue;
      }
      JsonNode progress = run.pack() == null ? null : packs.computeIfAbsent(run.pack(), this::progress);
      List<Integer> steps = store.completedSteps(run.runId());
      if (progress == null && steps.isEmpty()) {
        lines.get("pending").add(run.name() + " (" + run.runId() + ")");
      } else {
        lines.get("running").add(running(run, progress, steps));
      }
    }
    out.printf(Locale.ROOT, "study %s (task %s, %d runs): %d finished, %d running, %d failed, %d pending%n",
        study, roster.get().task(), roster.get().runs().size(), lines.get("finished").size(),
        lines.get("running").size(), lines.get("failed").size(), lines.get("pending").size());
    for (String state : List.of("running", "failed")) {
      List<String> these = lines.get(state);
      these.stream().limit(LISTED).forEach(l -> out.println("  " + state + ": " + l));
      if (these.size() > LISTED) {
        out.printf("  … and %d more %s%n", these.size() - LISTED, state);
      }
    }
    return true;
  }

  private String running(StudyRoster.Entry run, JsonNode progress, List<Integer> steps) {
    String who = run.name() + " (" + run.runId() + ", pack " + run.pack() + ")";
    if (progress == null) {
      return String.format(Locale.ROOT, "%s: checkpoint at step %d of %d", who, steps.get(steps.size() - 1),
          run.steps());
    }
    int step = progress.path("step").asInt();
    double msPerStep = progress.path("ms_per_step").asDouble(Double.NaN);
    double ago = (System.currentTimeMillis() - progress.path("updated_ms").asLong()) / 1e3;
    String left = Double.isNaN(msPerStep) ? "" : ", about "
        + PackTrainer.duration(msPerStep * Math.max(0, run.steps() - step) / 1e3) + " left";
    return String.format(Locale.ROOT, "%s: step %d of %d, %.0f ms/step%s (as of %s ago)", who, step, run.steps(),
        msPerStep, left, PackTrainer.duration(Math.max(0, ago)));
  }

  /** The pack's progress file, or null when it has written none. */
  private JsonNode progress(String pack) {
    Path path = new Path(new Path(root, "progress"), pack + ".json");
    try {
      return files.exists(path) ? JSON.readTree(files.read(path)) : null;
    } catch (IOException e) { // being rewritten: the checkpoints tell instead
      return null;
    }
  }
}
