package io.mechsweep.jobs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.training.checkpoint.Checkpoint;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Raising {@code training.steps} continues finished runs instead of training them again. A run to
 * train whose resolved config equals a finished run's in everything but {@code steps} starts from
 * that run's last checkpoint, optimizer state included: its checkpoints are copied under the new
 * run's id (which stays the hash of its own config, as if trained in one go) with the lineage
 * {@code run_id@step} in their metadata, and training resumes there. Only where the numbers come
 * out as one run trained in one go would have them: a learning rate that does not depend on the
 * total (the constant schedule, or warm-up to a {@code min_lr} equal to {@code peak_lr}; a
 * cosine decay is spread over {@code steps}), the
 * shorter run trained to its end, and its last step one where the longer run also evaluates and
 * logs. Anything else trains from step 0, and the line says why.
 */
public final class RunExtensions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunExtensions() {}

  /**
   * Prepares every run of {@code todo} that can continue a shorter finished run of the store, and
   * prints one line per run that continues or, able to only in principle, does not.
   */
  public static void prepare(StudyPlan plan, List<RunSpec> todo, RunStore store, PrintStream out) throws IOException {
    List<Candidate> finished = null;
    for (RunSpec run : todo) {
      if (!store.completedSteps(run.runId()).isEmpty()) {
        continue; // it resumes from its own checkpoints (and may have continued one already)
      }
      if (finished == null) {
        finished = finishedRuns(store);
      }
      Optional<Candidate> found = predecessor(run, finished);
      if (found.isEmpty()) {
        continue;
      }
      Candidate p = found.get();
      String label = "run " + run.name() + " (" + run.runId() + ")";
      String lineage = p.runId() + "@" + p.steps();
      String why = whyNot(run.grid(), run, p);
      if (why != null) {
        out.printf("training: %s trains from step 0 rather than continuing %s: %s%n", label, lineage, why);
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> config = Map.of("run", JSON.convertValue(run.config(), Map.class));
      store.copyCheckpoints(p.runId(), run.runId(), p.steps(), config, lineage);
      out.printf("training: %s continues %s: from its step %d to %d, optimizer state included%n",
          label, lineage, p.steps(), run.config().steps());
    }
  }

  /** Why {@code p}'s checkpoint is not the start of {@code run}, or null when it is. */
  static String whyNot(StudyConfig config, RunSpec run, Candidate p) {
    StudyConfig.Training t = config.training();
    boolean flat = t.schedule() == StudyConfig.Schedule.CONSTANT || run.config().minLr() == run.config().peakLr();
    if (!flat) {
      return "its learning rate follows " + t.schedule().name().toLowerCase(Locale.ROOT) + " down to min_lr "
          + run.config().minLr() + ", a decay spread over training.steps, so the shorter run's rates differ"
          + " from the first steps of this one (a constant schedule, or warm-up to a min_lr equal to peak_lr,"
          + " extends)";
    }
    if (!p.outcome().finished() || p.outcome().finalStep() != p.steps()) {
      return "that run " + (p.outcome().finished() ? "stopped early at step " + p.outcome().finalStep() : "failed");
    }
    int evalEvery = config.evaluation().everySteps();
    int logEvery = config.logEvery();
    if (p.steps() % evalEvery != 0 || p.steps() % logEvery != 0) {
      return "its last step " + p.steps() + " is not a multiple of evaluation.every_steps (" + evalEvery
          + ") and logging.every_steps (" + logEvery + "), so its final evaluation would not be this run's";
    }
    return null;
  }

  /** A finished run of the store with its resolved config, without {@code steps}: a run to continue. */
  private record Candidate(String runId, int steps, JsonNode configWithoutSteps, RunOutcome outcome) {}

  private static List<Candidate> finishedRuns(RunStore store) throws IOException {
    List<Candidate> out = new ArrayList<>();
    for (String id : store.runIds()) {
      Optional<RunOutcome> result = store.result(id);
      if (result.isEmpty() || !result.get().finished()) {
        continue;
      }
      List<Integer> steps = store.completedSteps(id);
      if (steps.isEmpty()) {
        continue;
      }
      Checkpoint last = store.readMeta(id, steps.get(steps.size() - 1));
      Object config = last.config() == null ? null : last.config().get("run");
      if (config == null) {
        continue; // checkpoints from before run configs were recorded
      }
      ObjectNode node = normalized(config);
      if (!node.has("steps")) {
        continue;
      }
      int total = node.remove("steps").asInt();
      out.add(new Candidate(id, total, node, result.get()));
    }
    return out;
  }

  /** The longest finished run shorter than {@code run} with the same config otherwise. */
  private static Optional<Candidate> predecessor(RunSpec run, List<Candidate> finished) throws IOException {
    ObjectNode wanted = normalized(run.config());
    int steps = wanted.remove("steps").asInt();
    Candidate best = null;
    for (Candidate c : finished) {
      if (c.steps() < steps && c.configWithoutSteps().equals(wanted) && (best == null || c.steps() > best.steps())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A config as its JSON text reads back, so numbers compare alike whichever way they came. */
  private static ObjectNode normalized(Object config) throws IOException {
    return (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(config));
  }
}
