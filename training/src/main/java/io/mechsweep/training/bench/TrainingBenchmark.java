package io.mechsweep.training.bench;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.datagen.varassign.VarAssignDataset;
import io.mechsweep.datagen.varassign.VarAssignRules;
import io.mechsweep.datagen.varassign.VarAssignSpec;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.optim.LrSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Training speed of one pack of a benchmark model: ms per pack step and per run-step, through the
 * same {@link PackTrainer} a study uses (the task's real training batches, AdamW, clipping when the
 * model's training clips; evaluation excluded). {@link #referenceConfig} describes the same model
 * and step to {@code training/python/reference.py bench}, the PyTorch baseline.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** PackTrainer leaves its first steps out of ms/step (allocation and JIT warm-up). */
  public static final int UNTIMED_STEPS = 3;

  /**
   * The models the benchmark can time, each with its task's data and training. Width and depth
   * are chosen per run; the other shapes follow from them as in the task's study.
   */
  public enum Model {
    /**
     * The anchor quickstart model (conf/studies/anchor-quickstart.yaml): post-LN, causal, one
     * head, d_ff 3×, d_k ½×, output bias; γ 0.5, AdamW lr 1e-3 wd 0.01, clipping at 1.0; batches
     * drawn from a fixed anchor training set held in memory.
     */
    ANCHOR("anchor", 1.0, 1e-3, 0.01,
        "drawn from a fixed anchor training set in memory (1,000 rows per pair)") {
      @Override
      public ModelConfig config(int dModel, int depth) {
        return ModelConfig.anchor(AnchorRules.VOCAB_SIZE, AnchorRules.SEQ_LEN, dModel, 3 * dModel, dModel / 2, depth);
      }

      @Override
      public InitScheme init(int dModel) {
        return new InitScheme.Gamma(0.5);
      }

      @Override
      TaskData data() {
        return new AnchorDataset(new AnchorSpec(1, 1_000, 10, 9, false)).generateInMemory(16);
      }
    },

    /**
     * The varassign paper model (research/TASKS.md Study 2, conf/studies/varassign-paper.yaml,
     * the wiring and init of jobs' VarAssignTask): no LayerNorm, causal, one head, d_ff 4×,
     * d_k 1×, layer 0 without MLP, no output bias, 59 classes; σ = 0.8/√d_model, AdamW lr 1e-3
     * wd 0.02, constant lr, no clipping; a fresh batch generated on the host for every step.
     */
    VARASSIGN("varassign", 0, 1e-3, 0.02,
        "generated fresh on the host for every step (VarAssignTrainSource), inside the timed step") {
      @Override
      public ModelConfig config(int dModel, int depth) {
        return new ModelConfig(VarAssignRules.VOCAB_SIZE, VarAssignRules.CLASSES, VarAssignRules.SEQ_LEN, dModel,
            4 * dModel, dModel, 1, depth, NormPlacement.NONE, true, Set.of(0), false, Set.of());
      }

      @Override
      public InitScheme init(int dModel) {
        return new InitScheme.FixedStd(0.8 / Math.sqrt(dModel));
      }

      @Override
      TaskData data() {
        // Small evaluation pools: evaluation is not timed, only built and run at steps 0 and last.
        return new VarAssignDataset(new VarAssignSpec(20260531, VarAssignSpec.PAPER_TRAIN_PAIR_FRACTION, 64))
            .generateInMemory().taskData(16);
      }
    };

    private final String label;
    private final double clipNorm;
    private final double peakLr;
    private final double weightDecay;
    private final String batches;

    Model(String label, double clipNorm, double peakLr, double weightDecay, String batches) {
      this.label = label;
      this.clipNorm = clipNorm;
      this.peakLr = peakLr;
      this.weightDecay = weightDecay;
      this.batches = batches;
    }

    /** Shapes and wiring at this width and depth. */
    public abstract ModelConfig config(int dModel, int depth);

    /** How every member's matrices are drawn. */
    public abstract InitScheme init(int dModel);

    /** The task's training source (and small evaluation sets, which the timing leaves out). */
    abstract TaskData data();

    /** The name on the command line ({@code --task}). */
    public String label() {
      return label;
    }

    /** Gradient-norm clipping per run; 0 = none (the norm is still computed, as in a study). */
    public double clipNorm() {
      return clipNorm;
    }

    public double peakLr() {
      return peakLr;
    }

    public double weightDecay() {
      return weightDecay;
    }

    /** Where mechsweep's training batches come from, in words. */
    public String batches() {
      return batches;
    }

    /** The model by its command-line name. */
    public static Model named(String label) {
      for (Model m : values()) {
        if (m.label.equalsIgnoreCase(label)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown benchmark model '" + label + "'; allowed: " + labels());
    }

    public static String labels() {
      return String.join(", ", java.util.Arrays.stream(values()).map(Model::label).toList());
    }

    /** One line: every shape, the wiring and the training, e.g. for a benchmark header. */
    public String describe(int dModel, int depth, int batch) {
      ModelConfig c = config(dModel, depth);
      return String.format(Locale.ROOT,
          "%s: vocab %d, %d classes, length %d, d_model %d, d_ff %d, d_k %d, %d head%s, depth %d, LayerNorm %s,"
              + " %s, %s, %s; init %s; AdamW lr %s wd %s, constant lr, %s; batch %d per run",
          label, c.vocabSize(), c.classes(), c.seqLen(), c.dModel(), c.dFf(), c.dK(), c.heads(),
          c.heads() == 1 ? "" : "s", c.depth(), c.norm().name().toLowerCase(Locale.ROOT),
          c.causal() ? "causal" : "bidirectional",
          c.layersWithoutMlp().isEmpty() ? "MLP in every block" : "no MLP in layer(s) " + new TreeSet<>(c.layersWithoutMlp()),
          c.outputBias() ? "output bias" : "no output bias", describe(init(dModel)), peakLr, weightDecay,
          clipNorm > 0 ? "clipping at " + clipNorm : "no clipping", batch);
    }

    private static String describe(InitScheme init) {
      if (init instanceof InitScheme.Gamma g) {
        return "γ " + g.gamma();
      }
      return String.format(Locale.ROOT, "σ %.4f", ((InitScheme.FixedStd) init).std());
    }
  }

  public record Result(int packSize, int threads, double msPerStep, double msPerRunStep) {}

  /**
   * Trains a pack of {@code packSize} runs for {@link #UNTIMED_STEPS} + {@code timedSteps} steps.
   *
   * @return PackTrainer's own ms per step over the timed steps: the members' batches for the step,
   *     forward, loss, backward, gradient norms (and clipping), AdamW
   */
  public static Result run(
      Model model, int dModel, int depth, int batch, int timedSteps, int packSize, int threads, Device device) {
    TorchRuntime.init(threads);
    TaskData data = model.data();
    TrainConfig train = trainConfig(model, batch, timedSteps + UNTIMED_STEPS);
    List<MemberSpec> members = new ArrayList<>();
    for (int k = 0; k < packSize; k++) {
      members.add(new MemberSpec("bench-" + k, k, model.init(dModel), model.peakLr(), model.weightDecay()));
    }
    List<RunOutcome> out =
        new PackTrainer(new PackSpec("bench", model.config(dModel, depth), train, members), data, null, device)
            .train();
    RunOutcome first = out.get(0);
    if (!first.finished()) {
      throw new IllegalStateException("benchmark run failed: " + first.reason());
    }
    return new Result(packSize, threads, first.msPerStep(), first.msPerStep() / packSize);
  }

  /** Constant lr, loss read back and evaluation only at the last step, no checkpoints. */
  private static TrainConfig trainConfig(Model model, int batch, int steps) {
    return new TrainConfig(steps, batch, 0.9, 0.999, 1e-8, LrSchedule.constant(steps), model.clipNorm(), steps,
        steps, 0);
  }

  /**
   * The same model and training step for {@code reference.py bench --config}: {@code model} in
   * the keys of the parity test's config.json, {@code train} (AdamW's betas and ε, clip_norm),
   * {@code member} (peak_lr, weight_decay, init as {@code {"gamma": γ}} or {@code {"std": σ}})
   * and {@code batch}.
   */
  public static Map<String, Object> referenceConfig(Model model, int dModel, int depth, int batch) {
    Map<String, Object> m = ReferenceConfig.model(model.config(dModel, depth));
    Map<String, Object> train = ReferenceConfig.optimizer(trainConfig(model, batch, 1));
    InitScheme scheme = model.init(dModel);
    Map<String, Object> init = scheme instanceof InitScheme.Gamma g
        ? Map.of("gamma", g.gamma())
        : Map.of("std", ((InitScheme.FixedStd) scheme).std());
    Map<String, Object> member = new LinkedHashMap<>();
    member.put("peak_lr", model.peakLr());
    member.put("weight_decay", model.weightDecay());
    member.put("init", init);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model", m);
    c.put("train", train);
    c.put("member", member);
    c.put("batch", batch);
    return c;
  }
}
