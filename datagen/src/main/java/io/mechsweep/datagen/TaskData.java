package io.mechsweep.datagen;

import java.io.Serializable;
import java.util.List;

/**
 * What training needs from a task: the vocabulary size, the training split and the
 * evaluation sets. Small enough to broadcast to every executor.
 */
public record TaskData(
    String task, String datasetId, int vocabSize, TokenTable train, List<EvalSet> evalSets)
    implements Serializable {

  public int seqLen() {
    return train.seqLen();
  }
}
