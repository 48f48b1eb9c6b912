package io.mechsweep.datagen.topics;

import io.mechsweep.datagen.BatchSampler;
import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TrainSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Masked-LM batches from a fixed set of training documents, drawn in seeded epochs like any
 * fixed training set; each batch is masked on the host as it is drawn, with the masks of the
 * batch's epoch ({@link MaskedLm.Policy#PER_EPOCH}) or the dataset's one draw
 * ({@link MaskedLm.Policy#ONCE}). Either way a batch is a pure function of (member seed, step).
 */
public record TopicsTrainSource(List<LdaDocument> documents, MaskedLm masking, int seqLen, int vocabularySize)
    implements TrainSource {
  public TopicsTrainSource {
    documents = List.copyOf(documents);
  }

  /**
   * A masked-LM task's training data: batches from {@code train}, and the first
   * {@code maxEvalRows} of {@code dev} (masked once, with a stream of their own) as the set
   * {@code dev}, scored by accuracy and cross-entropy at the chosen positions.
   */
  public static TaskData taskData(String task, String datasetId, List<LdaDocument> train, List<LdaDocument> dev,
      MaskedLm masking, int maxEvalRows, int seqLen, int vocabularySize) {
    List<LdaDocument> evalDocs = dev.subList(0, Math.min(maxEvalRows, dev.size()));
    EvalSet devSet = EvalSet.ungroupedWithLoss(LdaGenerator.DEV,
        MlmTable.of(evalDocs, masking, MaskedLm.DEV_STREAM, 0, seqLen, vocabularySize));
    return new TaskData(task, datasetId, vocabularySize, vocabularySize,
        new TopicsTrainSource(train, masking, seqLen, vocabularySize), List.of(devSet));
  }

  @Override
  public java.util.OptionalInt fixedRows() {
    return java.util.OptionalInt.of(documents.size());
  }

  @Override
  public BatchStream stream(long memberSeed, int batchSize) {
    BatchSampler sampler = new BatchSampler(memberSeed, documents.size(), batchSize);
    int batchesPerEpoch = documents.size() / batchSize;
    return step -> {
      List<LdaDocument> batch = new ArrayList<>(batchSize);
      for (int row : sampler.batch(step)) {
        batch.add(documents.get(row));
      }
      return MlmTable.of(batch, masking, MaskedLm.TRAIN_STREAM, step / batchesPerEpoch, seqLen, vocabularySize);
    };
  }

  /**
   * The topics study's grid variants are model settings (uniform attention, block W_V, …), not
   * different data: every setting reads the same documents with the same masks.
   */
  @Override
  public TrainSource variant(String name) {
    return this;
  }

  @Override
  public String describe() {
    return "masked on the host from " + documents.size() + " documents in memory (masks "
        + (masking.policy() == MaskedLm.Policy.ONCE ? "drawn once per dataset" : "drawn afresh each epoch") + ")";
  }
}
