package io.mechsweep.analysis.probes;

import io.mechsweep.training.model.PackedTransformer;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A study's own probes: forward passes over its probe sequences, read from one checkpoint. */
public interface TaskProbes extends Serializable {
  /** Token ids that occur in the task's inputs (the embedding covariance is taken over these). */
  Set<Integer> inputTokens();

  /** @param model a one-member model holding the checkpoint's parameters */
  List<ProbeRow> probe(String runId, int step, PackedTransformer model, Map<String, WeightMatrix> weights);
}
