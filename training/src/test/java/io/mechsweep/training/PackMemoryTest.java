package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.InitScheme;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackMemoryTest {
  private static final MemberSpec A = new MemberSpec("run-a", 1, 0.3, 2e-3, 0.01);
  private static final MemberSpec B = new MemberSpec("run-b", 2, 0.8, 1e-3, 0.1);
  private static final MemberSpec C = new MemberSpec("run-c", 3, 0.5, 5e-3, 0.0);

  private static long stepBytes(int batch, MemberSpec... members) {
    TrainConfig t = Fixtures.train(10, 0);
    TrainConfig withBatch = new TrainConfig(1, batch, t.beta1(), t.beta2(), t.eps(), t.schedule(), t.clipNorm(), 1, 1, 0);
    return new PackTrainer(new PackSpec("m", Fixtures.MODEL, withBatch, List.of(members)), Fixtures.DATA, null,
        Device.cpu()).stepTensorBytes();
  }

  private static long parameterBytes() {
    return 4L * GammaInitializer.member(Fixtures.MODEL, new InitScheme.Gamma(0.5), 1).values().stream()
        .mapToLong(p -> p.length).sum();
  }

  @Test
  void aRunTakesItsParametersAndOptimizerStateOnceAndItsActivationsPerSequence() {
    PackMemory memory = PackMemory.measure(Fixtures.pack(10, 0, A), Fixtures.DATA);

    // Linear in the batch, exactly: measured at 2 and 4 sequences, it predicts 32 and 7.
    assertThat(stepBytes(32, A)).isEqualTo(memory.fixedBytes() + 32 * memory.bytesPerSequence());
    assertThat(stepBytes(7, A)).isEqualTo(memory.fixedBytes() + 7 * memory.bytesPerSequence());
    // Parameters, gradients and AdamW's two moments at least; the update's temporaries add a few copies more.
    assertThat(memory.fixedBytes()).isBetween(4 * parameterBytes(), 12 * parameterBytes());
    // Each of the 2 blocks keeps at least its residual stream (seq_len × d_model floats) per sequence.
    assertThat(memory.bytesPerSequence()).isGreaterThan(2L * 9 * 16 * 4);
    // The fixture's largest evaluation set (64 rows) is larger than its batch (32).
    assertThat(memory.sequences()).isEqualTo(64);
    assertThat(memory.runBytes()).isEqualTo(stepBytes(64, A));
  }

  @Test
  void kRunsTakeKTimesOneRun() {
    long one = stepBytes(32, A);
    long three = stepBytes(32, A, B, C);
    // Only a few pack-wide constants (1/√d_k, the causal mask) are not per run.
    assertThat((double) three).isCloseTo(3.0 * one, within(0.01 * one));
  }

  @Test
  void theLargerOfBatchAndEvaluationChunkCounts() {
    int largestEvalSet = Fixtures.DATA.evalSets().stream().mapToInt(s -> s.table().rows()).max().orElseThrow();
    assertThat(largestEvalSet).isEqualTo(64);
    for (int batch : new int[] {4, 200}) {
      PackSpec pack = new PackSpec("m", Fixtures.MODEL, new TrainConfig(1, batch, 0.9, 0.999, 1e-8,
          Fixtures.train(10, 0).schedule(), 1.0, 1, 1, 0), List.of(A));
      assertThat(PackMemory.measure(pack, Fixtures.DATA).sequences()).isEqualTo(Math.max(batch, 64));
    }
  }

  @Test
  void runsFittingAGpuLeaveTheReserveAndHeadroomFree() {
    PackMemory memory = new PackMemory(50L << 20, 1L << 20, 2048); // 2098 MiB per run
    long gib = 1L << 30;
    // (80 GiB − 1 GiB) × 0.85 = 68,761.6 MiB → 32 runs of 2,098 MiB.
    assertThat(memory.runsFitting(80 * gib)).isEqualTo(32);
    assertThat(memory.runsFitting(gib)).isZero();
    assertThat(memory.runsFitting(3 * gib)).isZero(); // 1,740.8 MiB usable: not one run
    assertThat(memory.describe()).isEqualTo("2.05 GiB per run (50.0 MiB + 2048 sequences × 1.0 MiB)");
  }
}
