package io.mechsweep.datagen.lego;

import io.mechsweep.datagen.TrainSource;

/**
 * The LEGO training data in both clause orders (the same chains): the variant {@code shuffled}
 * (also the default) or {@code sorted}, one per run as the shortcut control's grid axis. Either
 * a fixed training set or chains drawn fresh every step ({@link LegoFreshSource}).
 */
public record LegoTrainSource(TrainSource shuffled, TrainSource sorted) implements TrainSource {

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
  public java.util.OptionalInt fixedRows() {
    return shuffled.fixedRows();
  }

  @Override
  public String describe() {
    return shuffled.describe() + " (shuffled or sorted clauses)";
  }
}
