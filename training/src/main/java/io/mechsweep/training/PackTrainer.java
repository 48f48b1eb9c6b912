package io.mechsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.checkpoint.EncoderInit;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.Evaluator;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.mimic.MimicLoss;
import io.mechsweep.training.mimic.MimicStage;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one pack: K runs of equal shapes as one batched model, with cross-entropy at the
 * task's read positions, per-member gradient clipping and AdamW, evaluation and checkpoints on
 * schedule. Each member draws its own batches from the task's {@link TrainSource}.
 *
 * <p>A member whose loss stops being finite is marked failed with the step and value, frozen,
 * and the others go on. An exception fails the members still running, with its message; it
 * never escapes, so one bad pack cannot take a study down.
 */
public final class PackTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class);
  /** Steps left out of ms/step: the first ones pay for allocation and JIT warm-up. */
  static final int UNTIMED_STEPS = 3;
  /** A progress line at least this often, evaluation step or not. */
  private static final long PROGRESS_EVERY_NANOS = 30_000_000_000L;
  /** Separates the mimicking stage's batch stream from training's (same member seed). */
  private static final long MIMIC_STREAM = 0x6D696D6963L;

  private final PackSpec pack;
  private final TaskData data;
  private final RunStore store;
  private final Device device;
  private final PackCheckpoints checkpoints;
  /** The evaluation set early stopping watches: the first that records a loss ("" when none does). */
  private final String lossSet;
  /** Set only while {@link #stepTensorBytes} runs: the manager whose tensors an update counts. */
  private NDManager countTensorsIn;
  private long tensorBytesAtStepEnd;
  /** {@link System#nanoTime()} by which the pack must have written its last checkpoint. */
  private OptionalLong stopBy = OptionalLong.empty();

  /**
   * @param store where checkpoints and outcomes go; null trains in memory only
   * @param configForCheckpoints the resolved run configs, recorded in each checkpoint by run id
   */
  public PackTrainer(
      PackSpec pack, TaskData data, RunStore store, Device device, Map<String, Object> configForCheckpoints) {
    this.pack = pack;
    this.data = data;
    this.store = store;
    this.device = device;
    this.checkpoints = new PackCheckpoints(pack, store, configForCheckpoints);
    this.lossSet = data.evalSets().stream().filter(EvalSet::recordLoss).findFirst().map(EvalSet::name).orElse("");
  }

  public PackTrainer(PackSpec pack, TaskData data, RunStore store, Device device) {
    this(pack, data, store, device, Map.of());
  }

  /**
   * Ends training at the first checkpoint after which the next one would not be written by
   * {@code deadlineNanos} ({@link System#nanoTime()}), judged by the time the last stretch between
   * checkpoints took. A lent machine's call that is cut off loses what it did not write, so a
   * pack stopped here keeps every complete checkpoint: its unfinished runs are recorded as failed
   * with that step, their curve and evaluations so far, and resume from that checkpoint when
   * trained again. Without a store, or with no checkpoint before the end, it has no effect.
   */
  public PackTrainer stopBy(long deadlineNanos) {
    this.stopBy = OptionalLong.of(deadlineNanos);
    return this;
  }

  private List<PackMember> members() {
    List<PackMember> members = new ArrayList<>();
    for (MemberSpec m : pack.members()) {
      members.add(new PackMember(m, data.train().variant(m.dataVariant()).stream(m.seed(), pack.train().batchSize()),
          pack.train().patience()));
    }
    return members;
  }

  /**
   * The bytes of every tensor alive at the end of one training step from the members' initial
   * parameters: parameters, AdamW's moments, gradients, the update's temporaries and every
   * activation of the forward pass (the step's scope holds them all until it ends, so this is the
   * step's high-water mark of tensors; a view counts as a copy, so it errs high). With a mimicking
   * stage, the larger of its first step and training's. Shapes, and so bytes, are the same on any
   * device. Evaluates, stores and records nothing.
   */
  public long stepTensorBytes() {
    List<PackMember> members = members();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      ParameterSet params = GammaInitializer.fromMembers(pack.model(), initialParameters(members), manager);
      AdamW adam = new AdamW(params, pack.train().beta1(), pack.train().beta2(), pack.train().eps());
      PackedTransformer model = new PackedTransformer(pack.model(), params);
      countTensorsIn = manager;
      tensorBytesAtStepEnd = 0;
      if (pack.mimic() != null) {
        mimic(model, members, manager, 1);
      }
      trainStep(model, adam, members, 0, manager);
      return tensorBytesAtStepEnd;
    } finally {
      countTensorsIn = null;
    }
  }

  public List<RunOutcome> train() {
    List<PackMember> members = members();
    long start = System.nanoTime();
    long stepNanos = 0;
    int timedSteps = 0;
    int startStep = 0;
    int step = 0;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      startStep = checkpoints.resumableStep();
      ParameterSet params;
      AdamW adam;
      TrainConfig tc = pack.train();
      if (startStep > 0) {
        LOG.info("pack {}: resuming its {} run(s) from their checkpoints at step {} of {}", pack.packId(),
            pack.size(), startStep, tc.steps());
        PackCheckpoints.Resumed resumed = checkpoints.resume(members, startStep, manager);
        params = resumed.params();
        adam = resumed.adam();
      } else {
        params = GammaInitializer.fromMembers(pack.model(), initialParameters(members), manager);
        adam = new AdamW(params, tc.beta1(), tc.beta2(), tc.eps());
      }
      PackedTransformer model = new PackedTransformer(pack.model(), params);
      step = startStep;
      if (startStep == 0) {
        if (pack.mimic() != null) {
          mimic(model, members, manager, pack.mimic().steps());
        }
        evaluate(model, members, 0, manager);
        stopEarly(members, 0);
      }
      long trainStart = System.nanoTime();
      long lastLine = trainStart;
      long lastCheckpoint = trainStart;
      while (step < tc.steps() && members.stream().anyMatch(PackMember::training)) {
        long t0 = System.nanoTime();
        trainStep(model, adam, members, step, manager);
        if (step - startStep >= UNTIMED_STEPS) {
          stepNanos += System.nanoTime() - t0;
          timedSteps++;
        }
        step++;
        boolean evalStep = tc.isEvalStep(step);
        if (evalStep) {
          evaluate(model, members, step, manager);
        }
        long now = System.nanoTime();
        if (evalStep || now - lastLine >= PROGRESS_EVERY_NANOS) {
          logProgress(members, step, startStep, timedSteps == 0 ? Double.NaN : stepNanos / 1e6 / timedSteps,
              (now - trainStart) / 1e9);
          lastLine = now;
        }
        List<PackMember> stoppedNow = evalStep ? stopEarly(members, step) : List.of();
        if (store != null && (tc.isCheckpointStep(step) || !stoppedNow.isEmpty())) {
          checkpoints.save(params, adam, tc.isCheckpointStep(step) ? members : stoppedNow, step);
        }
        if (stopBy.isPresent() && store != null && tc.isCheckpointStep(step) && step < tc.steps()) {
          long written = System.nanoTime();
          if (stopBy.getAsLong() - written < written - lastCheckpoint) { // nanoTime: compare differences
            stopAtDeadline(members, step);
            break;
          }
          lastCheckpoint = written;
        }
      }
    } catch (Exception | OutOfMemoryError e) {
      String reason = "pack " + pack.packId() + " stopped at step " + step + ": " + e;
      for (PackMember m : members) {
        if (m.failure == null) {
          m.failure = reason;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double msPerStep = timedSteps == 0 ? Double.NaN : stepNanos / 1e6 / timedSteps;
    List<RunOutcome> outcomes = new ArrayList<>();
    for (PackMember m : members) {
      RunOutcome outcome =
          new RunOutcome(
              m.spec.runId(),
              m.failure == null ? RunOutcome.FINISHED : RunOutcome.FAILED,
              m.failure,
              m.finalStep(step),
              m.lastLoss,
              startStep,
              seconds,
              msPerStep,
              device.toString(),
              pack.size(),
              List.copyOf(m.metrics),
              List.copyOf(m.evals),
              m.extendedFrom);
      outcomes.add(outcome);
      if (store != null) {
        try {
          store.saveResult(outcome);
        } catch (IOException e) {
          throw new IllegalStateException("could not record the outcome of " + m.spec.runId(), e);
        }
      }
    }
    return outcomes;
  }

  private void stopAtDeadline(List<PackMember> members, int step) {
    String reason = "stopped at step " + step + " of " + pack.train().steps() + ": the next checkpoint would"
        + " have come after the deadline; the checkpoint at step " + step + " holds the curve and evaluations"
        + " so far, and training it again (--retry-failed) resumes there";
    LOG.info("pack {}: {}", pack.packId(), reason);
    for (PackMember m : members) {
      if (m.training()) {
        m.failure = reason;
      }
    }
  }

  private void trainStep(
      PackedTransformer model, AdamW adam, List<PackMember> members, int step, NDManager manager) {
    int k = pack.size();
    float[] lr = new float[k];
    float[] wd = new float[k];
    List<TokenTable> batches = new ArrayList<>(k);
    for (int m = 0; m < k; m++) {
      PackMember member = members.get(m);
      batches.add(member.batches.batch(step));
      boolean active = member.training();
      lr[m] = active ? (float) pack.train().schedule().at(step, member.spec.peakLr()) : 0f;
      wd[m] = active ? (float) member.spec.weightDecay() : 0f;
    }
    PackBatch batch = PackBatch.of(batches);
    update(model, adam, members, MetricRow.TRAIN, step, lr, wd, () -> batch.loss(model, manager));
  }

  /**
   * One optimizer update of every member from its loss {@code (K,)}: backward, per-member
   * clipping, AdamW; on a log step the losses are recorded and a non-finite one fails its member.
   */
  private void update(PackedTransformer model, AdamW adam, List<PackMember> members, String stage, int step,
      float[] lr, float[] wd, java.util.function.Supplier<NDArray> loss) {
    int k = pack.size();
    ParameterSet params = model.params();
    try (NDScope scope = new NDScope()) {
      Autograd.record(true);
      NDArray lossPerMember = loss.get(); // (K,)
      Autograd.backward(lossPerMember.sum());
      Autograd.record(false);
      Map<String, NDArray> grads = Autograd.gradients(params);
      NDArray norms = adam.update(params, grads, lr, wd, pack.train().clipNorm()); // clips, then updates
      Autograd.zeroGradients(params);
      if (countTensorsIn != null) {
        tensorBytesAtStepEnd = Math.max(tensorBytesAtStepEnd, Tensors.bytes(countTensorsIn.getManagedArrays()));
      }
      int done = step + 1;
      if (pack.train().isLogStep(done)) {
        float[] losses = Tensors.floats(lossPerMember);
        float[] gradNorms = Tensors.floats(norms);
        for (int m = 0; m < k; m++) {
          PackMember member = members.get(m);
          if (!member.training()) {
            continue;
          }
          if (!Float.isFinite(losses[m])) {
            double configuredLr = MetricRow.MIMIC.equals(stage) ? pack.mimic().lr() : member.spec.peakLr();
            member.failure =
                stage + " loss became " + losses[m] + " at step " + done + " (last finite loss "
                    + member.lastLoss + "); lr " + configuredLr + ", init " + member.spec.init();
            continue;
          }
          member.lastLoss = losses[m];
          member.metrics.add(new MetricRow(member.spec.runId(), stage, done, lr[m], losses[m], gradNorms[m]));
        }
      }
    }
  }

  /**
   * The mimicking pre-stage ({@link MimicStage}): its own AdamW at a constant lr, no weight decay,
   * batches from a stream of its own so training's batches are the same with or without it.
   */
  private void mimic(PackedTransformer model, List<PackMember> members, NDManager manager, int steps) {
    MimicStage stage = pack.mimic();
    TrainConfig tc = pack.train();
    AdamW adam = new AdamW(model.params(), tc.beta1(), tc.beta2(), tc.eps());
    List<TrainSource.BatchStream> streams = new ArrayList<>();
    for (PackMember m : members) {
      streams.add(data.train().variant(m.spec.dataVariant()).stream(m.spec.seed() ^ MIMIC_STREAM, tc.batchSize()));
    }
    int k = pack.size();
    for (int step = 0; step < steps; step++) {
      List<TokenTable> batches = new ArrayList<>(k);
      float[] lr = new float[k];
      for (int m = 0; m < k; m++) {
        batches.add(streams.get(m).batch(step));
        lr[m] = members.get(m).training() ? (float) stage.lr() : 0f;
      }
      PackBatch batch = PackBatch.of(batches);
      update(model, adam, members, MetricRow.MIMIC, step, lr, new float[k],
          () -> MimicLoss.of(model, batch.tokens(), k, batch.b(), data.seqLen(), manager));
    }
    for (PackMember m : members) {
      m.lastLoss = Double.NaN; // the next loss recorded is training's
    }
    LOG.info("pack {}: mimicking stage done ({} steps)", pack.packId(), steps);
  }

  /**
   * Every member's initial parameters: drawn from its init scheme and seed, with the encoder
   * replaced by a checkpoint's where the member names one. A member whose checkpoint cannot be
   * used fails with the reason; the others are unaffected.
   */
  private List<Map<String, float[]>> initialParameters(List<PackMember> members) {
    List<Map<String, float[]>> out = new ArrayList<>();
    for (PackMember m : members) {
      Map<String, float[]> drawn = GammaInitializer.member(pack.model(), m.spec.init(), m.spec.seed());
      SourceCheckpoint ref = m.spec.initFrom();
      if (ref != null) {
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
          if (store == null) {
            throw new IllegalArgumentException("initializing from checkpoint " + ref + " needs a run store");
          }
          int step = ref.step() == SourceCheckpoint.LATEST ? latestStep(ref.runId()) : ref.step();
          drawn = EncoderInit.apply(pack.model(), drawn, store.loadParams(ref.runId(), step, host), ref);
        } catch (IOException | RuntimeException e) {
          m.failure = e.getMessage().startsWith("cannot initialize") ? e.getMessage()
              : "cannot initialize from checkpoint " + ref + ": " + e.getMessage();
        }
      }
      out.add(drawn);
    }
    return out;
  }

  private int latestStep(String runId) throws IOException {
    List<Integer> steps = store.completedSteps(runId);
    if (steps.isEmpty()) {
      throw new IOException("run " + runId + " has no complete checkpoint under " + store.root());
    }
    return java.util.Collections.max(steps);
  }

  private void evaluate(PackedTransformer model, List<PackMember> members, int step, NDManager manager) {
    for (EvalSet set : data.evalSets()) {
      Evaluator.Pass pass = Evaluator.pass(model, set.table(), manager, set.recordLoss());
      for (int m = 0; m < members.size(); m++) {
        PackMember member = members.get(m);
        if (member.training()) {
          member.evals.addAll(Evaluator.score(member.spec.runId(), step, set, pass.predictions()[m]));
          if (pass.crossEntropy() != null) {
            member.evals.add(Evaluator.crossEntropyRow(member.spec.runId(), step, set, pass.crossEntropy()[m],
                pass.lossReads()));
          }
        }
      }
    }
  }

  /**
   * Members whose held-out cross-entropy has not improved for {@code patience} evaluations stop
   * here: their learning rate is 0 from now on, their last checkpoint is this step, and their
   * result ends here. The pack ends when every member has stopped or failed.
   */
  private List<PackMember> stopEarly(List<PackMember> members, int step) {
    List<PackMember> stopped = new ArrayList<>();
    for (PackMember m : members) {
      if (!m.training()) {
        continue;
      }
      for (int i = m.evals.size() - 1; i >= 0 && m.evals.get(i).step() == step; i--) {
        EvalRow r = m.evals.get(i);
        if (r.metric().equals(EvalRow.CROSS_ENTROPY) && r.evalSet().equals(lossSet) && m.stopping.observe(step, r.value())) {
          LOG.info(String.format(java.util.Locale.ROOT, "pack %s: run %s stops early at step %d: no lower %s"
              + " cross-entropy in %d evaluations (best %.4f at step %d)", pack.packId(), m.spec.runId(), step,
              r.evalSet(), pack.train().patience(), m.stopping.best(), m.stopping.bestStep()));
          stopped.add(m);
        }
      }
    }
    return stopped;
  }


  /**
   * One progress line: step, speed, elapsed time and the time left at this pace (evaluation and
   * checkpoints included), and each member's last loss.
   */
  private void logProgress(List<PackMember> members, int step, int startStep, double msPerStep, double seconds) {
    StringBuilder line = new StringBuilder();
    for (PackMember m : members) {
      line.append(String.format(java.util.Locale.ROOT, " %s:%s", m.spec.runId(),
          m.failure != null ? "failed" : String.format(java.util.Locale.ROOT, "%.3f", m.lastLoss)));
    }
    double left = seconds / Math.max(1, step - startStep) * (pack.train().steps() - step);
    LOG.info(String.format(java.util.Locale.ROOT, "pack %s step %d/%d (%.0f ms/step, %s elapsed, %s left) loss%s",
        pack.packId(), step, pack.train().steps(), msPerStep, duration(seconds), duration(left), line));
  }

  /** {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
