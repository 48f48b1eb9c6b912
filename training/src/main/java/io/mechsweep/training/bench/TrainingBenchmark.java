package io.mechsweep.training.bench;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * Training speed of one pack of the anchor model: ms per pack step and per run-step, through the
 * same {@link PackTrainer} a study uses (real data, AdamW, clipping; evaluation excluded).
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  public record Result(int packSize, int threads, double msPerStep, double msPerRunStep) {}

  public static Result run(int dModel, int depth, int batch, int steps, int packSize, int threads, Device device) {
    TorchRuntime.init(threads);
    TaskData data = new AnchorDataset(new AnchorSpec(1, 1_000, 10, 9, false)).generateInMemory(16);
    ModelConfig model =
        ModelConfig.anchor(AnchorRules.VOCAB_SIZE, AnchorRules.SEQ_LEN, dModel, 3 * dModel, dModel / 2, depth);
    TrainConfig train =
        new TrainConfig(steps, batch, 0.9, 0.999, 1e-8, new LrSchedule(0, steps, 1e-3, 1e-3), 1.0,
            steps, steps, 0);
    List<MemberSpec> members = new ArrayList<>();
    for (int k = 0; k < packSize; k++) {
      members.add(new MemberSpec("bench-" + k, k, 0.5, 1e-3, 0.01));
    }
    List<RunOutcome> out =
        new PackTrainer(new PackSpec("bench", model, train, members), data, null, device).train();
    RunOutcome first = out.get(0);
    if (!first.finished()) {
      throw new IllegalStateException("benchmark run failed: " + first.reason());
    }
    return new Result(packSize, threads, first.msPerStep(), first.msPerStep() / packSize);
  }
}
