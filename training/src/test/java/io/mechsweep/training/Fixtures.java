package io.mechsweep.training;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import java.util.List;

/** Small real inputs shared by the training tests. */
final class Fixtures {
  static final TaskData DATA = new AnchorDataset(new AnchorSpec(3, 200, 20, 9, false)).generateInMemory(64);
  static final ModelConfig MODEL = ModelConfig.anchor(AnchorRules.VOCAB_SIZE, AnchorRules.SEQ_LEN, 16, 32, 8, 2);

  private Fixtures() {}

  static TrainConfig train(int steps, int checkpointEvery) {
    return new TrainConfig(steps, 32, 0.9, 0.999, 1e-8, new LrSchedule(3, steps, 1e-5, 1e-5), 1.0, 1,
        10, checkpointEvery);
  }

  static PackSpec pack(int steps, int checkpointEvery, MemberSpec... members) {
    return new PackSpec("test", MODEL, train(steps, checkpointEvery), List.of(members));
  }
}
