package io.mechsweep.training.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackMember;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a pack resumes from its members' checkpoints, and what it resumes with: their tensors
 * stacked into a pack, their AdamW state, curves, evaluations and early stopping.
 */
public final class PackResume {
  private static final Logger LOG = LoggerFactory.getLogger(PackTrainer.class); // the pack's log, as before

  private final PackSpec pack;
  private final RunStore store;

  /** @param store the pack's store; null: nothing to resume, every pack starts afresh */
  public PackResume(PackSpec pack, RunStore store) {
    this.pack = pack;
    this.store = store;
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
  public int resumableStep() throws IOException {
    if (store == null) {
      return 0;
    }
    Map<String, TreeSet<Integer>> valid = new LinkedHashMap<>();
    Set<String> rejected = new HashSet<>(); // runs with a checkpoint that failed to verify
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
  public record Resumed(ParameterSet params, AdamW adam) {}

  /** The members at {@code step}: their tensors stacked, and their curves, evaluations and early stopping restored. */
  public Resumed resume(List<PackMember> members, int step, NDManager manager) throws IOException {
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
      RunStore.Loaded loaded = store.load(m.runId(), step, loading);
      params.add(loaded.params());
      optimizerStates.add(loaded.optimizer()); // named as AdamW names its state
      optimizerSteps = loaded.meta().optimizerSteps();
      m.resumeFrom(loaded.meta().metrics(), loaded.meta().evals(), pack.train().patience(),
          loaded.meta().extendedFrom());
    }
    ParameterSet stacked = ParameterSet.stack(params, manager);
    stacked.asMap().forEach((name, p) -> p.setRequiresGradient(!pack.model().frozen().contains(name)));
    TrainConfig tc = pack.train();
    AdamW adam = new AdamW(stacked, tc.beta1(), tc.beta2(), tc.eps());
    adam.restore(ParameterSet.stack(optimizerStates, loading).asMap(), optimizerSteps); // copies the values in
    return new Resumed(stacked, adam);
  }
}
