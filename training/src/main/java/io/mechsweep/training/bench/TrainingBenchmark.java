package io.mechsweep.training.bench;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.optim.LrSchedule;
import io.mechsweep.training.listener.StepPhases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Training speed of one pack of a study's model: ms per pack step and per run-step, through the
 * same {@link PackTrainer} a study uses (the task's real training batches, AdamW, clipping when the
 * study clips; evaluation excluded). {@link #referenceConfig} describes the same model and step to
 * {@code training/python/reference.py bench}, the PyTorch baseline.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** PackTrainer leaves its first steps out of ms/step (allocation and JIT warm-up). */
  public static final int UNTIMED_STEPS = 3;

  /**
   * What one benchmark member trains, taken from a study's first run: its model, its task's
   * training data, its initialization, learning rate, weight decay, clipping and batch size.
   */
  public record Setup(
      String name, ModelConfig model, TaskData data, InitScheme init, double peakLr, double weightDecay,
      double clipNorm, int batch) {

    /** One line: every shape, the wiring and the training, for the benchmark's header. */
    public String describe() {
      ModelConfig c = model;
      return String.format(Locale.ROOT,
          "%s: vocab %d, %d classes, length %d, d_model %d, d_ff %d, d_k %d, %d head%s, depth %d, LayerNorm %s,"
              + " %s, %s, %s; init %s; AdamW lr %s wd %s, constant lr, %s; batch %d per run",
          name, c.vocabSize(), c.classes(), c.seqLen(), c.dModel(), c.dFf(), c.dK(), c.heads(),
          c.heads() == 1 ? "" : "s", c.depth(), c.norm().name().toLowerCase(Locale.ROOT),
          c.causal() ? "causal" : "bidirectional",
          c.layersWithoutMlp().isEmpty() ? "MLP in every block" : "no MLP in layer(s) " + new TreeSet<>(c.layersWithoutMlp()),
          c.outputBias() ? "output bias" : "no output bias", describe(init), peakLr, weightDecay,
          clipNorm > 0 ? "clipping at " + clipNorm : "no clipping", batch);
    }

    private static String describe(InitScheme init) {
      if (init instanceof InitScheme.Gamma g) {
        return "γ " + g.gamma();
      }
      return String.format(Locale.ROOT, "σ %.4f", ((InitScheme.FixedStd) init).std());
    }

    /** Constant lr, loss read back and evaluation only at the last step, no checkpoints. */
    TrainConfig train(int steps) {
      return new TrainConfig(steps, batch, 0.9, 0.999, 1e-8, LrSchedule.constant(steps), clipNorm, steps, steps, 0);
    }
  }

  public record Result(int packSize, int threads, double msPerStep, double msPerRunStep) {}

  /** A profiled pack: its ms/step as {@link #run} measures it, and where the steps' time went. */
  public record Profile(Result result, StepPhases.Summary phases) {}

  /**
   * Trains a pack of {@code packSize} runs for {@link #UNTIMED_STEPS} + {@code timedSteps} steps.
   *
   * @return PackTrainer's own ms per step over the timed steps: the members' batches for the step,
   *     forward, loss, backward, gradient norms (and clipping), AdamW
   */
  public static Result run(Setup setup, int timedSteps, int packSize, int threads, Device device) {
    return train(setup, timedSteps, packSize, threads, device, StepPhases.OFF);
  }

  /**
   * {@link #run}, with each step's phases timed over the same timed steps, and the evaluations
   * (before the first step and after the last) over the setup's evaluation sets.
   */
  public static Profile profile(Setup setup, int timedSteps, int packSize, int threads, Device device) {
    StepPhases phases = StepPhases.recording();
    Result result = train(setup, timedSteps, packSize, threads, device, phases);
    return new Profile(result, phases.summary(UNTIMED_STEPS));
  }

  private static Result train(Setup setup, int timedSteps, int packSize, int threads, Device device,
      StepPhases phases) {
    TorchRuntime.init(threads);
    List<MemberSpec> members = new ArrayList<>();
    for (int k = 0; k < packSize; k++) {
      members.add(new MemberSpec("bench-" + k, k, setup.init(), setup.peakLr(), setup.weightDecay()));
    }
    PackSpec pack = new PackSpec("bench", setup.model(), setup.train(timedSteps + UNTIMED_STEPS), members);
    RunOutcome first = new PackTrainer(pack, setup.data(), null, device).timePhases(phases).train().get(0);
    if (!first.finished()) {
      throw new IllegalStateException("benchmark run failed: " + first.reason());
    }
    return new Result(packSize, threads, first.msPerStep(), first.msPerStep() / packSize);
  }

  /**
   * The same model and training step for {@code reference.py bench --config}: {@code model} in
   * the keys of the parity test's config.json, {@code train} (AdamW's betas and ε, clip_norm),
   * {@code member} (peak_lr, weight_decay, init as {@code {"gamma": γ}} or {@code {"std": σ}}),
   * {@code batch}, and where the loss reads ({@code reads}, {@code loss_reads}).
   */
  public static Map<String, Object> referenceConfig(Setup setup) {
    InitScheme scheme = setup.init();
    Map<String, Object> init = scheme instanceof InitScheme.Gamma g
        ? Map.of("gamma", g.gamma())
        : Map.of("std", ((InitScheme.FixedStd) scheme).std());
    Map<String, Object> member = new LinkedHashMap<>();
    member.put("peak_lr", setup.peakLr());
    member.put("weight_decay", setup.weightDecay());
    member.put("init", init);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model", ReferenceConfig.model(setup.model()));
    c.put("train", ReferenceConfig.optimizer(setup.train(1)));
    c.put("member", member);
    c.put("batch", setup.batch());
    // Where the loss reads: the last position (reads 0), or R positions per row of which the
    // first loss_reads are in the loss (lego's supervised chain prefix).
    TokenTable sample = setup.data().train().stream(0, 1).batch(0);
    int lossReads = 0;
    for (int r = 0; r < sample.reads(); r++) {
      lossReads += sample.lossMask() == null || sample.lossMask()[r] > 0 ? 1 : 0;
    }
    c.put("reads", sample.readsLastOnly() ? 0 : sample.reads());
    c.put("loss_reads", lossReads);
    return c;
  }
}
