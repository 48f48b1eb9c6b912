package io.mechsweep.datagen;

import java.io.Serializable;

/**
 * Where a run's training batches come from: a fixed training set drawn in seeded epochs
 * ({@link FixedTrainSet}) or sequences generated fresh for every step. Either way batch
 * {@code step} of a member is a pure function of (member seed, step), so a resumed run sees
 * exactly the batches it would have seen. Broadcast to executors: a fresh source carries only
 * its generator's spec, never a dataset.
 */
public interface TrainSource extends Serializable {
  /** The member's batches: one stream per member, asked for steps in increasing order. */
  BatchStream stream(long memberSeed, int batchSize);

  int seqLen();

  /** The default training data; a task with several (lego's clause orders) names them here. */
  String DEFAULT_VARIANT = "default";

  /**
   * The source of one named variant of the training data, a grid axis of the study (lego:
   * {@code shuffled} or {@code sorted} clauses). Sources without variants only know the default.
   */
  default TrainSource variant(String name) {
    if (name == null || name.equals(DEFAULT_VARIANT)) {
      return this;
    }
    throw new IllegalArgumentException("this training data has no variant '" + name + "'");
  }

  /** The rows of a fixed training set, which a batch cannot exceed; empty for a fresh source. */
  default java.util.OptionalInt fixedRows() {
    return java.util.OptionalInt.empty();
  }

  /** Where a batch comes from, in words (the benchmark's header says it). */
  default String describe() {
    return "generated fresh on the host for every step (" + getClass().getSimpleName() + ")";
  }

  /** One member's sequence of batches. */
  interface BatchStream {
    /** The batch used for update {@code step} (0-based), {@code batchSize} rows. */
    TokenTable batch(int step);
  }
}
