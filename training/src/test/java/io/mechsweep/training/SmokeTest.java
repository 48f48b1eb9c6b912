package io.mechsweep.training;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() {
    TaskData data = new AnchorDataset(new AnchorSpec(1, 2000, 200, 9, false)).generateInMemory(1000);
    ModelConfig mc = ModelConfig.anchor(AnchorRules.VOCAB_SIZE, 9, Integer.getInteger("d", 64), 3 * Integer.getInteger("d", 64), 32, 2);
    int steps = Integer.getInteger("steps", 200);
    TrainConfig tc = new TrainConfig(steps, 512, 0.9, 0.999, 1e-8, new LrSchedule(20, steps, 1e-5, 1e-5), 1.0, 10, 100, 0);
    int k = Integer.getInteger("k", 1);
    List<MemberSpec> ms = new java.util.ArrayList<>();
    for (int i = 0; i < k; i++) ms.add(new MemberSpec("r" + i, i, 0.5, 1e-3, 0.01));
    long t0 = System.nanoTime();
    List<RunOutcome> out = new PackTrainer(new PackSpec("p", mc, tc, ms), data, null, Device.cpu()).train();
    System.out.println("elapsed ms/step " + (System.nanoTime() - t0) / 1e6 / steps);
    for (RunOutcome o : out) {
      System.out.println(o.runId() + " " + o.status() + " " + o.reason() + " loss " + o.finalLoss() + " ms/step " + o.msPerStep());
      o.metrics().stream().filter(r -> r.step() % 50 == 0).forEach(System.out::println);
      o.evals().stream().filter(r -> r.bucket().equals("all") && r.step() == steps).forEach(System.out::println);
    }
  }
}
