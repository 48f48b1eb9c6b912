package io.mechsweep.datagen;

import java.io.Serializable;
import java.util.List;

/**
 * What training needs from a task: the vocabulary, the classes the model predicts, where
 * training batches come from and the evaluation sets. Broadcast to every executor, so it holds
 * no dataset that may not fit in memory (a fixed training set is held because batches are
 * drawn from it at random).
 *
 * @param classes output classes of the model's head (anchor: the vocabulary; varassign: 59)
 */
public record TaskData(
    String task, String datasetId, int vocabSize, int classes, TrainSource train, List<EvalSet> evalSets)
    implements Serializable {

  public int seqLen() {
    return train.seqLen();
  }
}
