package io.mechsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.checkpoint.Checkpoint;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.Evaluator;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
import io.mechsweep.training.optim.GradientClipping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one pack: K runs of equal shapes as one batched model, with last-position
 * cross-entropy, per-member gradient clipping and AdamW, evaluation and checkpoints on schedule.
 *
 * <p>A member whose loss stops being finite is marked failed with the step and value, frozen,
 * and the others go on. An exception fails the members still running, with its message; it
 * never escapes, so one bad pack cannot take a study down.
 */
public final class PackTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class);
  /** Steps left out of ms/step: the first ones pay for allocation and JIT warm-up. */
  static final int UNTIMED_STEPS = 3;
  /** Resumes after a pack fault before the pack's runs are failed. */
  static final int MAX_FAULT_RETRIES = 1;

  private final PackSpec pack;
  private final TaskData data;
  private final RunStore store;
  private final Device device;
  private final Map<String, Object> configForCheckpoints;

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
    this.configForCheckpoints = configForCheckpoints;
  }

  public PackTrainer(PackSpec pack, TaskData data, RunStore store, Device device) {
    this(pack, data, store, device, Map.of());
  }

  /** Per-member progress, kept on the host. */
  private static final class Member {
    final MemberSpec spec;
    final BatchSampler sampler;
    final List<MetricRow> metrics = new ArrayList<>();
    final List<EvalRow> evals = new ArrayList<>();
    String failure;
    double lastLoss = Double.NaN;

    Member(MemberSpec spec, BatchSampler sampler) {
      this.spec = spec;
      this.sampler = sampler;
    }
  }

  /** Every member's parameters turned non-finite in the same logging window. */
  private static final class PackFault extends RuntimeException {
    PackFault(String message) {
      super(message);
    }
  }

  /** Training progress of one attempt; a pack fault starts a new attempt from a checkpoint. */
  private final class Attempt {
    final List<Member> members = new ArrayList<>();
    int startStep;
    int step;

    Attempt() {
      for (MemberSpec m : pack.members()) {
        members.add(new Member(m, new BatchSampler(m.seed(), data.train().rows(), pack.train().batchSize())));
      }
    }
  }

  public List<RunOutcome> train() {
    long start = System.nanoTime();
    long[] stepNanos = {0};
    int[] timedSteps = {0};
    Attempt attempt = new Attempt();
    for (int faults = 0; ; faults++) {
      try {
        run(attempt, stepNanos, timedSteps);
        break;
      } catch (PackFault f) {
        if (faults >= MAX_FAULT_RETRIES) {
          fail(attempt, f.getMessage() + "; persisted after " + faults + " resume(s)");
          break;
        }
        LOG.warn("pack {}: {}; resuming from its last checkpoint", pack.packId(), f.getMessage());
        attempt = new Attempt();
      } catch (Exception | OutOfMemoryError e) {
        fail(attempt, "pack " + pack.packId() + " stopped at step " + attempt.step + ": " + e);
        break;
      }
    }
    List<Member> members = attempt.members;
    int step = attempt.step;
    int startStep = attempt.startStep;
    double seconds = (System.nanoTime() - start) / 1e9;
    double msPerStep = timedSteps[0] == 0 ? Double.NaN : stepNanos[0] / 1e6 / timedSteps[0];
    List<RunOutcome> outcomes = new ArrayList<>();
    for (Member m : members) {
      RunOutcome outcome =
          new RunOutcome(
              m.spec.runId(),
              m.failure == null ? RunOutcome.FINISHED : RunOutcome.FAILED,
              m.failure,
              step,
              m.lastLoss,
              startStep,
              seconds,
              msPerStep,
              device.toString(),
              pack.size(),
              List.copyOf(m.metrics),
              List.copyOf(m.evals));
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

  private void run(Attempt a, long[] stepNanos, int[] timedSteps) throws IOException {
    List<Member> members = a.members;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      a.startStep = resumableStep();
      ParameterSet params;
      AdamW adam;
      TrainConfig tc = pack.train();
      if (a.startStep > 0) {
        Resumed resumed = resume(members, a.startStep, manager);
        params = resumed.params();
        adam = resumed.adam();
      } else {
        double[] gammas = pack.members().stream().mapToDouble(MemberSpec::gamma).toArray();
        long[] seeds = pack.members().stream().mapToLong(MemberSpec::seed).toArray();
        params = GammaInitializer.pack(pack.model(), gammas, seeds, manager);
        adam = new AdamW(params, tc.beta1(), tc.beta2(), tc.eps());
      }
      PackedTransformer model = new PackedTransformer(pack.model(), params);
      a.step = a.startStep;
      if (a.startStep == 0) {
        evaluate(model, members, 0, manager);
      }
      while (a.step < tc.steps() && members.stream().anyMatch(m -> m.failure == null)) {
        long t0 = System.nanoTime();
        trainStep(model, adam, members, a.step, manager);
        if (a.step - a.startStep >= UNTIMED_STEPS) {
          stepNanos[0] += System.nanoTime() - t0;
          timedSteps[0]++;
        }
        a.step++;
        if (tc.isEvalStep(a.step)) {
          evaluate(model, members, a.step, manager);
          logProgress(members, a.step, timedSteps[0] == 0 ? Double.NaN : stepNanos[0] / 1e6 / timedSteps[0]);
        }
        if (store != null && tc.isCheckpointStep(a.step)) {
          checkpoint(params, adam, members, a.step, manager);
        }
      }
    }
  }

  private static void fail(Attempt a, String reason) {
    for (Member m : a.members) {
      if (m.failure == null) {
        m.failure = reason;
      }
    }
  }

  private void trainStep(
      PackedTransformer model, AdamW adam, List<Member> members, int step, NDManager manager) {
    int k = pack.size();
    int b = pack.train().batchSize();
    TokenTable train = data.train();
    int t = train.seqLen();
    long[] tokens = new long[k * b * t];
    long[] targets = new long[k * b];
    float[] lr = new float[k];
    float[] wd = new float[k];
    for (int m = 0; m < k; m++) {
      Member member = members.get(m);
      int[] rows = member.sampler.batch(step);
      for (int i = 0; i < b; i++) {
        int row = rows[i];
        for (int j = 0; j < t; j++) {
          tokens[(m * b + i) * t + j] = train.tokens()[row * t + j];
        }
        targets[m * b + i] = train.targets()[row];
      }
      boolean active = member.failure == null;
      lr[m] = active ? (float) pack.train().schedule().at(step, member.spec.peakLr()) : 0f;
      wd[m] = active ? (float) member.spec.weightDecay() : 0f;
    }
    ParameterSet params = model.params();
    try (NDScope scope = new NDScope()) {
      NDArray input = Tensors.of(manager, tokens, new Shape(k, b, t));
      NDArray labels = Tensors.of(manager, targets, new Shape(k, b, 1));
      Autograd.record(true);
      NDArray logits = model.logits(input); // (K,B,V)
      NDArray nll = logits.logSoftmax(-1).gather(labels, 2).neg(); // (K,B,1)
      NDArray lossPerMember = nll.reshape(k, b).mean(new int[] {1}); // (K,)
      Autograd.backward(lossPerMember.sum());
      Autograd.record(false);
      Map<String, NDArray> grads = Autograd.gradients(params);
      float[] norms = GradientClipping.clip(grads, pack.train().clipNorm(), k);
      adam.update(params, grads, lr, wd);
      Autograd.zeroGradients(params);
      int done = step + 1;
      if (pack.train().isLogStep(done)) {
        recordLosses(members, Tensors.floats(lossPerMember), lr, norms, done, params);
      }
    }
  }

  /**
   * Records each member's loss. A non-finite loss is a diverged run when that member's
   * parameters are non-finite too. When every active member's parameters turn non-finite in the
   * same window, the members diverging together is far less likely than a fault of the pack's
   * computation, so the pack is resumed from its checkpoint (exact, so a transient fault leaves
   * no trace in the results) instead of failing every run.
   */
  private void recordLosses(
      List<Member> members, float[] losses, float[] lr, float[] norms, int step, ParameterSet params) {
    boolean anyNonFinite = false;
    for (float l : losses) {
      anyNonFinite |= !Float.isFinite(l);
    }
    boolean[] finiteParams = anyNonFinite ? finitePerMember(params, members.size()) : null;
    List<Member> diverged = new ArrayList<>();
    int active = 0;
    for (int m = 0; m < members.size(); m++) {
      Member member = members.get(m);
      if (member.failure != null) {
        continue;
      }
      active++;
      if (Float.isFinite(losses[m])) {
        member.lastLoss = losses[m];
        member.metrics.add(new MetricRow(member.spec.runId(), step, lr[m], losses[m], norms[m]));
      } else if (finiteParams[m]) {
        LOG.warn("pack {} step {}: {} read a loss of {} but its parameters are finite; not recorded",
            pack.packId(), step, member.spec.runId(), losses[m]);
      } else {
        diverged.add(member);
      }
    }
    if (active > 1 && diverged.size() == active) {
      throw new PackFault("all " + active + " runs turned non-finite at step " + step);
    }
    for (Member member : diverged) {
      member.failure = "loss became " + losses[members.indexOf(member)] + " at step " + step
          + " (last finite loss " + member.lastLoss + "); lr " + member.spec.peakLr() + ", γ "
          + member.spec.gamma();
    }
  }

  /** Whether all of member k's parameters are finite (a max-abs of NaN or ∞ says otherwise). */
  private static boolean[] finitePerMember(ParameterSet params, int k) {
    boolean[] finite = new boolean[k];
    java.util.Arrays.fill(finite, true);
    for (NDArray p : params.asMap().values()) {
      float[] maxAbs = Tensors.floats(p.reshape(k, -1).abs().max(new int[] {1}));
      for (int m = 0; m < k; m++) {
        finite[m] &= Float.isFinite(maxAbs[m]);
      }
    }
    return finite;
  }

  private void evaluate(PackedTransformer model, List<Member> members, int step, NDManager manager) {
    for (EvalSet set : data.evalSets()) {
      int[][] predictions = Evaluator.predict(model, set.table(), manager);
      for (int m = 0; m < members.size(); m++) {
        Member member = members.get(m);
        if (member.failure == null) {
          member.evals.addAll(Evaluator.score(member.spec.runId(), step, set, predictions[m]));
        }
      }
    }
  }

  private void logProgress(List<Member> members, int step, double msPerStep) {
    StringBuilder line = new StringBuilder();
    for (Member m : members) {
      line.append(String.format(java.util.Locale.ROOT, " %s:%s", m.spec.runId(),
          m.failure != null ? "failed" : String.format(java.util.Locale.ROOT, "%.3f", m.lastLoss)));
    }
    LOG.info(String.format(java.util.Locale.ROOT, "pack %s step %d/%d (%.0f ms/step) loss%s",
        pack.packId(), step, pack.train().steps(), msPerStep, line));
  }

  /** The latest step at which every member has a complete checkpoint (0 = none). */
  private int resumableStep() throws IOException {
    if (store == null) {
      return 0;
    }
    Set<Integer> common = null;
    for (MemberSpec m : pack.members()) {
      Set<Integer> steps = new TreeSet<>(store.completedSteps(m.runId()));
      steps.removeIf(s -> s > pack.train().steps());
      if (common == null) {
        common = steps;
      } else {
        common.retainAll(steps);
      }
    }
    return common == null || common.isEmpty() ? 0 : ((TreeSet<Integer>) common).last();
  }

  /** Parameters and optimizer state of every member at {@code step}, stacked into a pack. */
  private record Resumed(ParameterSet params, AdamW adam) {}

  private Resumed resume(List<Member> members, int step, NDManager manager) throws IOException {
    List<NDList> params = new ArrayList<>();
    List<NDList> firstMoments = new ArrayList<>();
    List<NDList> secondMoments = new ArrayList<>();
    int optimizerSteps = -1;
    for (Member m : members) {
      RunStore.Loaded loaded = store.load(m.spec.runId(), step, manager);
      params.add(loaded.params());
      NDList first = new NDList();
      NDList second = new NDList();
      for (NDArray t : loaded.optimizer()) {
        String name = t.getName(); // "m.<param>" or "v.<param>"
        t.setName(name.substring(2));
        (name.startsWith("m.") ? first : second).add(t);
      }
      firstMoments.add(first);
      secondMoments.add(second);
      optimizerSteps = loaded.meta().optimizerSteps();
      m.metrics.addAll(loaded.meta().metrics());
      m.evals.addAll(loaded.meta().evals());
      if (!m.metrics.isEmpty()) {
        m.lastLoss = m.metrics.get(m.metrics.size() - 1).loss();
      }
    }
    ParameterSet stacked = ParameterSet.stack(params, manager);
    stacked.asMap().values().forEach(p -> p.setRequiresGradient(true));
    TrainConfig tc = pack.train();
    AdamW adam = new AdamW(stacked, tc.beta1(), tc.beta2(), tc.eps());
    adam.restore(
        ParameterSet.stack(firstMoments, manager).asMap(),
        ParameterSet.stack(secondMoments, manager).asMap(),
        optimizerSteps);
    return new Resumed(stacked, adam);
  }

  private void checkpoint(
      ParameterSet params, AdamW adam, List<Member> members, int step, NDManager manager)
      throws IOException {
    ParameterSet m1 = new ParameterSet(prefixed(adam.firstMoments(), "m."));
    ParameterSet m2 = new ParameterSet(prefixed(adam.secondMoments(), "v."));
    for (int k = 0; k < members.size(); k++) {
      Member member = members.get(k);
      if (member.failure != null) {
        continue;
      }
      try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
        NDList p = params.member(k, host);
        NDList optimizer = m1.member(k, host);
        optimizer.addAll(m2.member(k, host));
        Map<String, Object> config = new HashMap<>();
        Object runConfig = configForCheckpoints.get(member.spec.runId());
        if (runConfig != null) {
          config.put("run", runConfig);
        }
        store.save(
            new Checkpoint(member.spec.runId(), step, adam.step(), Map.of(),
                List.copyOf(member.metrics), List.copyOf(member.evals), config),
            p, optimizer);
      }
    }
  }

  private static Map<String, NDArray> prefixed(Map<String, NDArray> tensors, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    tensors.forEach((name, t) -> out.put(prefix + name, t));
    return out;
  }
}
