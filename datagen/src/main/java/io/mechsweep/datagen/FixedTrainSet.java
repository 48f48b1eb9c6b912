package io.mechsweep.datagen;

/** A training split held in memory, drawn in seeded epochs by {@link BatchSampler}. */
public record FixedTrainSet(TokenTable table) implements TrainSource {

  @Override
  public BatchStream stream(long memberSeed, int batchSize) {
    BatchSampler sampler = new BatchSampler(memberSeed, table.rows(), batchSize);
    return step -> table.select(sampler.batch(step));
  }

  @Override
  public int seqLen() {
    return table.seqLen();
  }

  @Override
  public String describe() {
    return "drawn from a fixed training set of " + rows() + " rows in memory";
  }

  @Override
  public java.util.OptionalInt fixedRows() {
    return java.util.OptionalInt.of(rows());
  }

  public int rows() {
    return table.rows();
  }
}
