package io.mechsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.listener.StepPhases;
import io.mechsweep.training.checkpoint.PackCheckpointWriter;
import io.mechsweep.training.checkpoint.PackResume;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.Evaluator;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.listener.EarlyStop;
import io.mechsweep.training.listener.MemoryProbe;
import io.mechsweep.training.listener.ProgressLog;
import io.mechsweep.training.listener.TrainingListener;
import io.mechsweep.training.mimic.MimicTraining;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one pack: K runs of equal shapes as one batched model, with cross-entropy at the
 * task's read positions, per-member gradient clipping and AdamW ({@link PackStep}), evaluation and
 * checkpoints on schedule. Each member draws its own batches from the task's {@link TrainSource}.
 * This class is the loop; early stopping and progress lines listen to it ({@link TrainingListener}).
 *
 * <p>A member whose loss stops being finite is marked failed with the step and value, frozen,
 * and the others go on. An exception fails the members still running, with its message; it
 * never escapes, so one bad pack cannot take a study down.
 */
public final class PackTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class);
  /** Steps left out of ms/step: the first ones pay for allocation and JIT warm-up. */
  static final int UNTIMED_STEPS = 3;

  private final PackSpec pack;
  private final TaskData data;
  private final RunStore store;
  private final Device device;
  private final PackResume resume;
  private final PackCheckpointWriter checkpoints;
  /** The evaluation set early stopping watches: the first that records a loss ("" when none does). */
  private final String lossSet;
  /** {@link System#nanoTime()} by which the pack must have written its last checkpoint. */
  private OptionalLong stopBy = OptionalLong.empty();
  private StepPhases phases = StepPhases.OFF;

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
    this.resume = new PackResume(pack, store);
    this.checkpoints = new PackCheckpointWriter(store, configForCheckpoints);
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

  /** Times each training step's phases and each evaluation into {@code phases} ({@code bench --profile}). */
  public PackTrainer timePhases(StepPhases phases) {
    this.phases = phases;
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

  private ParameterSet initialParameters(List<PackMember> members, NDManager manager) {
    return GammaInitializer.fromMembers(pack.model(), InitialParameters.of(pack.model(), members, store), manager);
  }

  private AdamW adamW(ParameterSet params) {
    TrainConfig tc = pack.train();
    return new AdamW(params, tc.beta1(), tc.beta2(), tc.eps());
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
      ParameterSet params = initialParameters(members, manager);
      AdamW adam = adamW(params); // before the stage, as in train(): its moments count in both steps
      PackedTransformer model = new PackedTransformer(pack.model(), params);
      MemoryProbe probe = new MemoryProbe(manager);
      PackStep step = new PackStep(pack, probe);
      if (pack.mimic() != null) {
        MimicTraining.run(pack, data, step, model, members, manager, 1);
      }
      step.train(model, adam, members, 0, manager);
      return probe.maxBytes();
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
      startStep = resume.resumableStep();
      TrainConfig tc = pack.train();
      ParameterSet params;
      AdamW adam;
      if (startStep > 0) {
        LOG.info("pack {}: resuming its {} run(s) from their checkpoints at step {} of {}", pack.packId(),
            pack.size(), startStep, tc.steps());
        PackResume.Resumed resumed = resume.resume(members, startStep, manager);
        params = resumed.params();
        adam = resumed.adam();
      } else {
        params = initialParameters(members, manager);
        adam = adamW(params);
      }
      PackedTransformer model = new PackedTransformer(pack.model(), params);
      PackStep update = new PackStep(pack, phases, phases); // only a profile listens to updates here
      TrainingListener earlyStop = new EarlyStop(pack, lossSet);
      step = startStep;
      if (startStep == 0) {
        if (pack.mimic() != null) {
          MimicTraining.run(pack, data, update, model, members, manager, pack.mimic().steps());
        }
        evaluate(model, members, 0, manager);
        earlyStop.onEval(0, members);
      }
      long trainStart = System.nanoTime();
      // The progress line of a step comes before its early stops, as it always has.
      TrainingListener listeners = TrainingListener.all(List.of(new ProgressLog(pack, store, trainStart), earlyStop));
      Deadline deadline = stopBy.isPresent() ? new Deadline(pack, stopBy.getAsLong(), trainStart) : null;
      while (step < tc.steps() && members.stream().anyMatch(PackMember::training)) {
        long t0 = System.nanoTime();
        update.train(model, adam, members, step, manager);
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
        listeners.onStep(new TrainingListener.StepEnd(step, startStep, evalStep,
            timedSteps == 0 ? Double.NaN : stepNanos / 1e6 / timedSteps, now, (now - trainStart) / 1e9, members));
        if (evalStep) {
          listeners.onEval(step, members);
        }
        int at = step;
        List<PackMember> stoppedNow = members.stream().filter(m -> m.stoppedAt(at)).toList();
        if (store != null && (tc.isCheckpointStep(step) || !stoppedNow.isEmpty())) {
          checkpoints.save(params, adam, tc.isCheckpointStep(step) ? members : stoppedNow, step);
        }
        if (deadline != null && store != null && tc.isCheckpointStep(step) && step < tc.steps()
            && deadline.stopsAfter(step, members)) {
          break;
        }
      }
    } catch (Exception | OutOfMemoryError e) {
      String reason = "pack " + pack.packId() + " stopped at step " + step + ": " + e;
      members.forEach(m -> m.fail(reason));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double msPerStep = timedSteps == 0 ? Double.NaN : stepNanos / 1e6 / timedSteps;
    List<RunOutcome> outcomes = new ArrayList<>();
    for (PackMember m : members) {
      RunOutcome outcome = m.outcome(step, startStep, seconds, msPerStep, device.toString(), pack.size());
      outcomes.add(outcome);
      if (store != null) {
        try {
          store.saveResult(outcome);
        } catch (IOException e) {
          throw new IllegalStateException("could not record the outcome of " + m.runId(), e);
        }
      }
    }
    return outcomes;
  }

  private void evaluate(PackedTransformer model, List<PackMember> members, int step, NDManager manager) {
    phases.beginEvaluation();
    for (EvalSet set : data.evalSets()) {
      Evaluator.Pass pass = Evaluator.pass(model, set.table(), manager, set.recordLoss());
      for (int m = 0; m < members.size(); m++) {
        PackMember member = members.get(m);
        if (member.training()) {
          member.evals().addAll(Evaluator.score(member.runId(), step, set, pass.predictions()[m]));
          if (pass.crossEntropy() != null) {
            member.evals().add(Evaluator.crossEntropyRow(member.runId(), step, set, pass.crossEntropy()[m],
                pass.lossReads()));
          }
        }
      }
    }
    phases.endEvaluation();
  }

  /** {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
