package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.lego.LegoDataset;
import io.mechsweep.datagen.lego.LegoSpec;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import io.mechsweep.training.checkpoint.EncoderInit;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.mimic.AttentionTargets;
import io.mechsweep.training.mimic.MimicStage;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.ParameterLayout;
import io.mechsweep.training.optim.LrSchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the lego study adds to training: tied layers, the mimicking stage, init from a checkpoint. */
class LegoTrainingTest {
  private static final TaskData DATA = new LegoDataset(new LegoSpec(2, 4, 2, 400, 50)).generateInMemory().taskData(50);
  private static final ModelConfig UNTIED = encoder(false, 16);
  private static final ModelConfig TIED = encoder(true, 16);

  @TempDir Path tmp;

  private static ModelConfig encoder(boolean tied, int d) {
    return new ModelConfig(DATA.vocabSize(), DATA.classes(), DATA.seqLen(), d, 2 * d, d / 2, 2, 3,
        NormPlacement.PRE, false, Set.of(), true, Set.of(), tied);
  }

  private static TrainConfig train(int steps) {
    return new TrainConfig(steps, 16, 0.9, 0.999, 1e-8, LrSchedule.constant(steps), 1.0, 1, steps, steps);
  }

  private static MemberSpec member(String id, long seed, SourceCheckpoint initFrom) {
    return new MemberSpec(id, seed, new InitScheme.Gamma(0.5), 1e-3, 0.0, "shuffled", initFrom);
  }

  @Test
  void tiedLayersHaveOneBlockOfParametersUsedByEveryLayer() {
    assertThat(ParameterLayout.names(TIED)).contains(Names.attnQ(0), Names.mlpIn(0)).doesNotContain(Names.attnQ(1));
    assertThat(ParameterLayout.names(UNTIED)).contains(Names.attnQ(2));
    assertThatThrownBy(() -> new ModelConfig(36, 2, 22, 16, 32, 8, 2, 3, NormPlacement.PRE, false, Set.of(1), true,
        Set.of(), true)).hasMessageContaining("tied layers share one block");
  }

  @Test
  void referenceMapsAreTheBandAndTheIdenticalTokenMap() {
    float[] band = AttentionTargets.localBand(6);
    assertThat(java.util.Arrays.copyOfRange(band, 0, 6)).containsExactly(4 / 7f, 2 / 7f, 1 / 7f, 0, 0, 0);
    assertThat(java.util.Arrays.copyOfRange(band, 12, 18)).containsExactly(1 / 10f, 2 / 10f, 4 / 10f, 2 / 10f, 1 / 10f, 0);
    float[] assoc = AttentionTargets.association(new int[] {5, 7, 5, 9, 5});
    assertThat(java.util.Arrays.copyOfRange(assoc, 0, 5)).containsExactly(0, 0, 0.5f, 0, 0.5f);
    assertThat(java.util.Arrays.copyOfRange(assoc, 5, 10)).as("a token seen once has no target").containsOnly(0f);
    float[] smooth = AttentionTargets.smoothed(assoc, 5);
    assertThat(smooth[5]).isCloseTo(0.2f, within(1e-7f)); // … which smoothing makes uniform
    assertThat(smooth[2]).isCloseTo((0.5f + 1e-3f) / (1 + 5e-3f), within(1e-7f));
  }

  /**
   * The mimicking loss on hand-set attention, against the divergence written out by hand:
   * KL(smoothed attention ‖ smoothed band) per query, averaged. The band itself costs 0; one-hot
   * attention on the query's own position costs what the sum below says.
   */
  @Test
  void mimicKlOnHandSetAttention() throws Exception {
    int t = 5;
    float[] band = AttentionTargets.localBand(t);
    float[] self = new float[t * t];
    for (int i = 0; i < t; i++) {
      self[i * t + i] = 1f;
    }
    double byHand = 0;
    for (int i = 0; i < t; i++) {
      double rowBand = 0;
      for (int j = 0; j < t; j++) {
        rowBand += band[i * t + j] + 1e-3;
      }
      for (int j = 0; j < t; j++) {
        double p = (self[i * t + j] + 1e-3) / (1 + t * 1e-3);
        double q = (band[i * t + j] + 1e-3) / rowBand;
        byHand += p * Math.log(p / q);
      }
    }
    byHand /= t;
    assertThat(AttentionTargets.divergence(band, band, t)).isCloseTo(0, within(1e-7));
    assertThat(AttentionTargets.divergence(self, band, t)).isCloseTo(byHand, within(1e-6));
    try (NDManager m = NDManager.newBaseManager()) {
      java.lang.reflect.Method kl = io.mechsweep.training.mimic.MimicLoss.class
          .getDeclaredMethod("kl", NDArray.class, NDArray.class);
      kl.setAccessible(true);
      NDArray reference = Tensors.of(m, AttentionTargets.smoothed(band, t), new Shape(1, 1, t, t));
      float onTensors = Tensors.floats((NDArray) kl.invoke(null, Tensors.of(m, self, new Shape(1, 1, t, t)), reference))[0];
      assertThat((double) onTensors).as("the training loss computes the same on tensors").isCloseTo(byHand, within(1e-5));
    }
  }

  /** The mimicking stage lowers its KL loss, records it as stage "mimic", then training starts at step 0. */
  @Test
  void mimickingStageRunsBeforeTrainingAndItsCurveIsRecorded() {
    PackSpec pack = new PackSpec("mimic", TIED, train(4), new MimicStage(60, 1e-2), List.of(member("m", 1, null)));
    RunOutcome o = new PackTrainer(pack, DATA, null, Device.cpu()).train().get(0);
    assertThat(o.finished()).as(o.reason()).isTrue();
    List<MetricRow> mimic = o.metrics().stream().filter(r -> r.stage().equals(MetricRow.MIMIC)).toList();
    List<MetricRow> train = o.metrics().stream().filter(r -> r.stage().equals(MetricRow.TRAIN)).toList();
    assertThat(mimic).hasSize(60);
    assertThat(train).extracting(MetricRow::step).containsExactly(1, 2, 3, 4);
    assertThat(mimic.get(59).loss()).isLessThan(0.7 * mimic.get(0).loss());
  }

  @Test
  void aPackWithAMimickingStageIsSizedByItsLargerStep() {
    PackSpec plain = new PackSpec("m", TIED, train(4), List.of(member("m", 1, null)));
    PackSpec mimicking = new PackSpec("m", TIED, train(4), new MimicStage(60, 1e-2), List.of(member("m", 1, null)));
    long trainingStep = new PackTrainer(plain, DATA, null, Device.cpu()).stepTensorBytes();
    long withMimic = new PackTrainer(mimicking, DATA, null, Device.cpu()).stepTensorBytes();
    // The stage's own AdamW moments stay with the pack, and its step records attention patterns.
    assertThat(withMimic).isGreaterThan(trainingStep);
    assertThat(PackMemory.measure(mimicking, DATA).runBytes()).isGreaterThan(PackMemory.measure(plain, DATA).runBytes());
  }

  @Test
  void initFromCheckpointCopiesTheEncoderAndNamesEveryMismatch() throws Exception {
    RunStore store = new RunStore(tmp.resolve("runs").toString(), new HadoopFiles(new Configuration()));
    PackSpec source = new PackSpec("src", UNTIED, train(3), List.of(member("source", 5, null)));
    assertThat(new PackTrainer(source, DATA, store, Device.cpu()).train().get(0).finished()).isTrue();

    // Loaded parameters equal the source's encoder; the head stays the drawn one.
    Map<String, float[]> drawn = GammaInitializer.member(UNTIED, new InitScheme.Gamma(0.5), 9);
    try (NDManager m = NDManager.newBaseManager()) {
      NDList checkpoint = store.loadParams("source", 3, m);
      Map<String, float[]> loaded = EncoderInit.apply(UNTIED, drawn, checkpoint, new SourceCheckpoint("source", 3));
      for (NDArray t : checkpoint) {
        float[] expected = EncoderInit.isEncoder(t.getName()) ? Tensors.floats(t) : drawn.get(t.getName());
        assertThat(loaded.get(t.getName())).as(t.getName()).containsExactly(expected);
      }
      assertThatThrownBy(() -> EncoderInit.apply(TIED, GammaInitializer.member(TIED, new InitScheme.Gamma(0.5), 9),
          checkpoint, new SourceCheckpoint("source", 3)))
          .hasMessageContaining("cannot initialize from checkpoint source@3")
          .hasMessageContaining("blocks.1.attn.q (only in the checkpoint)");
      ModelConfig wider = encoder(false, 32);
      assertThatThrownBy(() -> EncoderInit.apply(wider, GammaInitializer.member(wider, new InitScheme.Gamma(0.5), 9),
          checkpoint, new SourceCheckpoint("source", 3)))
          .hasMessageContaining("embed.tok (model 36×32, checkpoint 36×16)");

      // ':blocks' takes the blocks and the final norm only: the embeddings stay drawn.
      SourceCheckpoint blocks = SourceCheckpoint.parse("source@3:blocks");
      assertThat(blocks).isEqualTo(new SourceCheckpoint("source", 3, true));
      assertThat(blocks.toString()).isEqualTo("source@3:blocks");
      assertThat(SourceCheckpoint.parse("source:blockz")).isNull();
      Map<String, float[]> blocksOnly = EncoderInit.apply(UNTIED, drawn, checkpoint, blocks);
      for (NDArray t : checkpoint) {
        boolean copied = EncoderInit.isEncoder(t.getName()) && !t.getName().startsWith("embed.");
        assertThat(blocksOnly.get(t.getName())).as(t.getName())
            .containsExactly(copied ? Tensors.floats(t) : drawn.get(t.getName()));
      }
    }

    // In a pack: the member that starts from the checkpoint trains, the one whose source is
    // missing fails with the reason, and neither disturbs the other.
    PackSpec pack = new PackSpec("dst", UNTIED, train(2), List.of(
        member("pretrained", 6, SourceCheckpoint.parse("source")), member("orphan", 7, SourceCheckpoint.parse("nope@10"))));
    List<RunOutcome> outcomes = new PackTrainer(pack, DATA, store, Device.cpu()).train();
    assertThat(outcomes.get(0).finished()).as(outcomes.get(0).reason()).isTrue();
    assertThat(outcomes.get(1).status()).isEqualTo(RunOutcome.FAILED);
    assertThat(outcomes.get(1).reason()).contains("nope");
  }
}
