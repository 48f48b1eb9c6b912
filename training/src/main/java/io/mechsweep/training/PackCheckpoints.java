package io.mechsweep.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.checkpoint.Checkpoint;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.EarlyStopping;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
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
 * A pack's checkpoints: where it can resume, what it resumes with, and each member's checkpoint
 * cut out of the stacked pack. {@link PackTrainer} decides when; this class knows how.
 */
final class PackCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class);

  private final PackSpec pack;
  private final RunStore store;
  private final Map<String, Object> configForCheckpoints;

  PackCheckpoints(PackSpec pack, RunStore store, Map<String, Object> configForCheckpoints) {
    this.pack = pack;
    this.store = store;
    this.configForCheckpoints = configForCheckpoints;
  }

  /**
   * The latest step at which every member has a checkpoint that verifies (0 = start afresh). A
   * member whose newest checkpoint is corrupt falls back to its previous valid one, and the pack
   * resumes where all its members can: the others retrain the steps in between and come out with
   * the same numbers (training is deterministic on one CPU type), so a corrupt file costs time,
   * never a result. A member that stopped early has no checkpoint after its stop step, so its pack
   * resumes at the latest checkpoint all members share before it, and the member, its early-stopping
   * state rebuilt from the evaluations in that checkpoint, trains to the same stop again.
   */
  int resumableStep() throws IOException {
    if (store == null) {
      return 0;
    }
    Map<String, TreeSet<Integer>> valid = new LinkedHashMap<>();
    Set<String> rejected = new java.util.HashSet<>(); // runs with a checkpoint that failed to verify
    for (MemberSpec m : pack.members()) {
      TreeSet<Integer> steps = new TreeSet<>(store.completedSteps(m.runId()));
      steps.removeIf(s -> s > pack.train().steps());
      valid.put(m.runId(), steps);
    }
    while (true) {
      TreeSet<Integer> common = null;
      for (TreeSet<Integer> steps : valid.values()) {
        if (common == null) {
          common = new TreeSet<>(steps);
        } else {
          common.retainAll(steps);
        }
      }
      if (common == null || common.isEmpty()) {
        valid.forEach((run, steps) -> {
          if (!rejected.contains(run)) {
            return; // never checkpointed: a fresh start, nothing to say
          }
          if (steps.isEmpty() && valid.size() > 1) {
            LOG.warn("pack {}: run {} has no valid checkpoint, so it restarts from step 0, and its pack-mates"
                + " retrain with it (to the same numbers)", pack.packId(), run);
          } else if (steps.isEmpty()) {
            LOG.warn("pack {}: run {} has no valid checkpoint, so it restarts from step 0", pack.packId(), run);
          }
        });
        return 0;
      }
      int step = common.last();
      boolean allValid = true;
      for (Map.Entry<String, TreeSet<Integer>> e : valid.entrySet()) {
        try {
          store.verify(e.getKey(), step);
        } catch (IOException corrupt) {
          LOG.warn("pack {}: run {}: {}; it falls back to its previous checkpoint", pack.packId(), e.getKey(),
              corrupt.getMessage());
          e.getValue().remove(step);
          rejected.add(e.getKey());
          allValid = false;
        }
      }
      if (allValid) {
        valid.forEach((run, steps) -> {
          if (steps.last() > step) {
            LOG.info("pack {}: run {} retrains steps {} to {} beside a pack-mate that falls back (to the same"
                + " numbers: training is deterministic)", pack.packId(), run, step, steps.last());
          }
        });
        return step;
      }
    }
  }

  /** Parameters and optimizer state of every member at {@code step}, stacked into a pack. */
  record Resumed(ParameterSet params, AdamW adam) {}

  /** The members at {@code step}: their tensors stacked, and their curves, evaluations and early stopping restored. */
  Resumed resume(List<PackMember> members, int step, NDManager manager) throws IOException {
    // Each member's tensors are loaded into a manager of their own, freed once stacked: else a
    // resumed pack would hold every member's parameters and moments twice for the whole run.
    try (NDManager loading = manager.newSubManager()) {
      return resume(members, step, manager, loading);
    }
  }

  private Resumed resume(List<PackMember> members, int step, NDManager manager, NDManager loading) throws IOException {
    List<NDList> params = new ArrayList<>();
    List<NDList> optimizerStates = new ArrayList<>();
    int optimizerSteps = -1;
    for (PackMember m : members) {
      RunStore.Loaded loaded = store.load(m.spec.runId(), step, loading);
      params.add(loaded.params());
      optimizerStates.add(loaded.optimizer()); // named as AdamW names its state
      optimizerSteps = loaded.meta().optimizerSteps();
      m.metrics.addAll(loaded.meta().metrics());
      m.evals.addAll(loaded.meta().evals());
      if (!m.metrics.isEmpty()) {
        m.lastLoss = m.metrics.get(m.metrics.size() - 1).loss();
      }
      m.stopping = EarlyStopping.replay(pack.train().patience(), m.evals);
      m.extendedFrom = loaded.meta().extendedFrom();
    }
    ParameterSet stacked = ParameterSet.stack(params, manager);
    stacked.asMap().forEach((name, p) -> p.setRequiresGradient(!pack.model().frozen().contains(name)));
    TrainConfig tc = pack.train();
    AdamW adam = new AdamW(stacked, tc.beta1(), tc.beta2(), tc.eps());
    adam.restore(ParameterSet.stack(optimizerStates, loading).asMap(), optimizerSteps); // copies the values in
    return new Resumed(stacked, adam);
  }

  /** Each member's checkpoint at {@code step}, from the pack's stacked parameters and AdamW moments. */
  void save(ParameterSet params, AdamW adam, List<PackMember> members, int step) throws IOException {
    try (NDManager views = params.asMap().values().iterator().next().getManager().newSubManager()) {
      ParameterSet state = new ParameterSet(adam.state(views));
      for (int k = 0; k < members.size(); k++) {
        PackMember member = members.get(k);
        if (member.failure != null || (member.stopping.stopped() && member.stopping.stoppedAt() != step)) {
          continue; // a member that stopped early keeps its stop step as its last checkpoint
        }
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
          NDList p = params.member(k, host);
          NDList optimizer = state.member(k, host);
          Map<String, Object> config = new HashMap<>();
          Object runConfig = configForCheckpoints.get(member.spec.runId());
          if (runConfig != null) {
            config.put("run", runConfig);
          }
          store.save(
              new Checkpoint(member.spec.runId(), step, adam.step(), Map.of(),
                  List.copyOf(member.metrics), List.copyOf(member.evals), config, member.extendedFrom),
              p, optimizer);
        }
      }
    }
  }
}
