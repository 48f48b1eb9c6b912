package io.mechsweep.datagen.lego;

import io.mechsweep.datagen.FixedTrainSet;
import io.mechsweep.datagen.TrainSource;

/**
 * The LEGO training set in both clause orders (the same chains): the variant {@code shuffled}
 * (also the default) or {@code sorted}, one per run as the shortcut control's grid axis.
 */
public record LegoTrainSource(FixedTrainSet shuffled, FixedTrainSet sorted) implements TrainSource {

  @Override
  public TrainSource variant(String name) {
    if (name == null || name.equals(DEFAULT_VARIANT) || name.equals(LegoOrder.SHUFFLED.label())) {
      return shuffled;
    }
    if (name.equals(LegoOrder.SORTED.label())) {
      return sorted;
    }
    throw new IllegalArgumentException(
        "LEGO training data comes in clause orders [shuffled, sorted], not '" + name + "'");
  }

  @Override
  public BatchStream stream(long memberSeed, int batchSize) {
    return shuffled.stream(memberSeed, batchSize);
  }

  @Override
  public int seqLen() {
    return shuffled.seqLen();
  }

  @Override
  public String describe() {
    return shuffled.describe() + " (shuffled or sorted clauses)";
  }
}
