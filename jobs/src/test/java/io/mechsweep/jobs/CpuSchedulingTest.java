package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.jobs.stages.CpuScheduling;
import org.junit.jupiter.api.Test;

/** The documented rule for how packs share the cores in local mode. */
class CpuSchedulingTest {
  @Test
  void packsRunOnePerCoreAndALonePackGetsEveryCore() {
    assertThat(CpuScheduling.local(2, 1)).extracting(CpuScheduling::packsAtOnce, CpuScheduling::threadsPerPack)
        .containsExactly(1, 2);
    assertThat(CpuScheduling.local(2, 4)).extracting(CpuScheduling::packsAtOnce, CpuScheduling::threadsPerPack)
        .containsExactly(2, 1);
    assertThat(CpuScheduling.local(16, 3)).extracting(CpuScheduling::packsAtOnce, CpuScheduling::threadsPerPack)
        .containsExactly(3, 5);
    assertThat(CpuScheduling.local(1, 8)).extracting(CpuScheduling::packsAtOnce, CpuScheduling::threadsPerPack)
        .containsExactly(1, 1);
  }
}
