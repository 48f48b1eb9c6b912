package io.mechsweep.training.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.ParameterSet;
import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where runs keep their state under the study root:
 *
 * <pre>
 * checkpoints/&lt;run_id&gt;/step-&lt;N&gt;/params.npz, optimizer.npz, state.json
 * results/&lt;run_id&gt;.json     the finished (or failed) run's outcome
 * </pre>
 *
 * A checkpoint directory is complete once its {@code state.json} exists: the tensors are
 * written first, the metadata last.
 */
public final class RunStore implements Serializable {
  public static final String PARAMS = "params.npz";
  public static final String OPTIMIZER = "optimizer.npz";
  public static final String STATE = "state.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String root;
  private final StoreFiles files;

  public RunStore(String root, StoreFiles files) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.files = files;
  }

  public String root() {
    return root;
  }

  public String checkpointDir(String runId, int step) {
    return runDir(runId) + String.format("/step-%08d", step);
  }

  private String runDir(String runId) {
    return root + "/checkpoints/" + runId;
  }

  /** A training pack's progress ({@code progress/<pack>.json}), rewritten with each progress line. */
  public void saveProgress(String packId, byte[] json) throws IOException {
    files.writeAtomically(root + "/progress/" + packId + ".json", json);
  }

  public String resultPath(String runId) {
    return root + "/results/" + runId + ".json";
  }

  /** One member's checkpoint: tensors first, then the metadata that marks it complete. */
  public void save(Checkpoint meta, NDList params, NDList optimizer) throws IOException {
    String dir = checkpointDir(meta.runId(), meta.step());
    byte[] p = ParameterSet.encode(params);
    byte[] o = ParameterSet.encode(optimizer);
    files.writeAtomically(dir + "/" + PARAMS, p);
    files.writeAtomically(dir + "/" + OPTIMIZER, o);
    Map<String, String> sha = new LinkedHashMap<>();
    sha.put(PARAMS, sha256(p));
    sha.put(OPTIMIZER, sha256(o));
    Checkpoint complete =
        new Checkpoint(meta.runId(), meta.step(), meta.optimizerSteps(), sha, meta.metrics(),
            meta.evals(), meta.config(), meta.extendedFrom());
    files.writeAtomically(dir + "/" + STATE, JSON.writeValueAsBytes(complete));
  }

  /** Steps with a complete checkpoint, ascending. */
  public List<Integer> completedSteps(String runId) throws IOException {
    String dir = runDir(runId);
    List<Integer> steps = new ArrayList<>();
    for (String name : files.subdirectories(dir)) {
      if (name.matches("step-\\d+") && files.exists(dir + "/" + name + "/" + STATE)) {
        steps.add(Integer.parseInt(name.substring(5)));
      }
    }
    steps.sort(Integer::compare);
    return steps;
  }

  /** The runs with a checkpoint directory under this store. */
  public List<String> runIds() throws IOException {
    return files.subdirectories(root + "/checkpoints");
  }

  /**
   * Copies run {@code from}'s checkpoints up to {@code upToStep} to run {@code to}, verified, with
   * {@code to}'s id and config and {@code extendedFrom} in their metadata: the start of a longer
   * run that continues {@code from} (same numbers, a later last step). Each step's metadata is
   * written last, so a copy cut short leaves complete checkpoints only; copying again overwrites
   * them with the same bytes.
   */
  public void copyCheckpoints(String from, String to, int upToStep, Map<String, Object> config, String extendedFrom)
      throws IOException {
    for (int step : completedSteps(from)) {
      if (step > upToStep) {
        continue;
      }
      String source = checkpointDir(from, step);
      Checkpoint meta = readMeta(from, step);
      String target = checkpointDir(to, step);
      files.writeAtomically(target + "/" + PARAMS, verified(source, PARAMS, meta));
      files.writeAtomically(target + "/" + OPTIMIZER, verified(source, OPTIMIZER, meta));
      List<MetricRow> metrics = meta.metrics().stream()
          .map(r -> new MetricRow(to, r.stage(), r.step(), r.lr(), r.loss(), r.gradNorm())).toList();
      List<EvalRow> evals = meta.evals().stream()
          .map(r -> new EvalRow(to, r.step(), r.evalSet(), r.metric(), r.bucket(), r.value(), r.n())).toList();
      Checkpoint copied = new Checkpoint(to, step, meta.optimizerSteps(), meta.sha256(), metrics, evals, config,
          extendedFrom);
      files.writeAtomically(target + "/" + STATE, JSON.writeValueAsBytes(copied));
    }
  }

  public Checkpoint readMeta(String runId, int step) throws IOException {
    return JSON.readValue(files.read(checkpointDir(runId, step) + "/" + STATE), Checkpoint.class);
  }

  /** A loaded member checkpoint; tensors verified against the recorded checksums. */
  public record Loaded(Checkpoint meta, NDList params, NDList optimizer) {}

  public Loaded load(String runId, int step, NDManager manager) throws IOException {
    String dir = checkpointDir(runId, step);
    Checkpoint meta = readMeta(runId, step);
    byte[] p = verified(dir, PARAMS, meta);
    byte[] o = verified(dir, OPTIMIZER, meta);
    return new Loaded(meta, ParameterSet.decode(p, manager), ParameterSet.decode(o, manager));
  }

  /**
   * Checks a member checkpoint without decoding it: its metadata parses and both tensor files
   * match their recorded SHA-256. The exception names the file and what is wrong.
   */
  public void verify(String runId, int step) throws IOException {
    String dir = checkpointDir(runId, step);
    Checkpoint meta;
    try {
      meta = readMeta(runId, step);
    } catch (IOException e) {
      throw new IOException("checkpoint " + dir + " is corrupt: " + STATE + ": "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
    verified(dir, PARAMS, meta);
    verified(dir, OPTIMIZER, meta);
  }

  /** Only the parameters of a member checkpoint (what probes need), verified. */
  public NDList loadParams(String runId, int step, NDManager manager) throws IOException {
    Checkpoint meta = readMeta(runId, step);
    return ParameterSet.decode(verified(checkpointDir(runId, step), PARAMS, meta), manager);
  }

  private byte[] verified(String dir, String name, Checkpoint meta) throws IOException {
    byte[] bytes;
    try {
      bytes = files.read(dir + "/" + name);
    } catch (StoreFiles.CorruptFileException e) { // the file system's own checksum caught it
      throw new IOException("checkpoint " + dir + " is corrupt: " + e.getMessage(), e);
    }
    String expected = meta.sha256().get(name);
    if (!sha256(bytes).equals(expected)) {
      throw new IOException(
          "checkpoint " + dir + " is corrupt: " + name + " does not match its recorded SHA-256");
    }
    return bytes;
  }

  public void saveResult(RunOutcome outcome) throws IOException {
    files.writeAtomically(resultPath(outcome.runId()), JSON.writeValueAsBytes(outcome));
  }

  /**
   * Whether a run is to be trained, given its result so far: when it has none, or with
   * {@code retryFailed} when it failed. A finished run never trains again. The one rule a study,
   * export-packs and train-packs share.
   */
  public static boolean needsTraining(Optional<RunOutcome> previous, boolean retryFailed) {
    return previous.isEmpty() || (!previous.get().finished() && retryFailed);
  }

  public Optional<RunOutcome> result(String runId) throws IOException {
    String path = resultPath(runId);
    if (!files.exists(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(files.read(path), RunOutcome.class));
    } catch (IOException e) {
      throw new IOException("result file " + path + " is unreadable (" + e.getMessage()
          + "); delete it to retrain the run", e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
