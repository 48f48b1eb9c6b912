package io.mechsweep.datagen.varassign;

import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;

/**
 * Fresh varassign training sequences for every step (the paper samples a new batch of 512 each
 * step). Row {@code i} of step {@code s} is {@code trainExample(memberSeed, s·batchSize + i)},
 * so a resumed run sees exactly the batches it would have seen. Holds only the spec; each
 * stream builds its generator (the partition draw is a few microseconds).
 */
public record VarAssignTrainSource(VarAssignSpec spec) implements TrainSource {

  @Override
  public BatchStream stream(long memberSeed, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
    }
    VarAssignGenerator generator = new VarAssignGenerator(spec);
    long rowSeed = generator.trainRowSeed(memberSeed);
    return step -> {
      if (step < 0) {
        throw new IllegalArgumentException("step must be ≥ 0, got " + step);
      }
      int len = VarAssignRules.SEQ_LEN;
      int[] tokens = new int[batchSize * len];
      int[] labels = new int[batchSize];
      long first = (long) step * batchSize;
      for (int i = 0; i < batchSize; i++) {
        VarAssignExample e = generator.trainExampleOfRowSeed(rowSeed, first + i);
        System.arraycopy(e.tokens(), 0, tokens, i * len, len);
        labels[i] = e.label();
      }
      return new TokenTable(len, tokens, labels);
    };
  }

  @Override
  public int seqLen() {
    return VarAssignRules.SEQ_LEN;
  }
}
