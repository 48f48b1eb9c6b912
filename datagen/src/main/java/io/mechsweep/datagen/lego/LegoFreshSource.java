package io.mechsweep.datagen.lego;

import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;
import java.util.ArrayList;
import java.util.List;

/**
 * LEGO training chains drawn fresh for every step, in one clause order, their lengths from the
 * curriculum stage of the step. Row {@code i} of step {@code s} is fresh chain
 * {@code s·batchSize + i} of the member ({@link LegoGenerator#freshChain}), so a resumed run sees
 * exactly the batches it would have seen. Holds only the spec and the schedule.
 *
 * @param reads chain positions read per row: the longest length the curriculum reaches, so every
 *     batch of a run has the same shape (shorter rows pad their reads)
 */
public record LegoFreshSource(LegoSpec spec, LegoCurriculum curriculum, LegoOrder order, int seqLen, int reads)
    implements TrainSource {

  @Override
  public BatchStream stream(long memberSeed, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
    }
    LegoGenerator generator = new LegoGenerator(spec);
    return step -> {
      if (step < 0) {
        throw new IllegalArgumentException("step must be ≥ 0, got " + step);
      }
      List<Integer> lengths = curriculum.lengthsAt(step);
      List<LegoChain> chains = new ArrayList<>(batchSize);
      long first = (long) step * batchSize;
      for (int i = 0; i < batchSize; i++) {
        chains.add(generator.freshChain(memberSeed, first + i, lengths));
      }
      return LegoDataset.table(chains, order, spec.supervised(), seqLen, reads);
    };
  }

  @Override
  public String describe() {
    return "LEGO chains of lengths " + curriculum.describe() + " generated fresh on the host for every step, "
        + order.label() + " clauses";
  }
}
