package io.mechsweep.analysis.probes.topics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.topics.LdaDataset;
import io.mechsweep.datagen.topics.LdaDocument;
import io.mechsweep.datagen.topics.LdaGenerator;
import io.mechsweep.datagen.topics.LdaSpec;
import io.mechsweep.datagen.topics.MaskedLm;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TrainConfig;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.optim.LrSchedule;
import io.mechsweep.training.topics.TopicsEncoders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topics paper's uniform-attention demo (research/TASKS.md, Study 4) at the source's scale:
 * 10,000 training documents, batch 40, Adam lr 0.01 without weight decay, masks drawn once,
 * chosen positions hidden from the keys, one-hot frozen embeddings, W_K = W_Q = 0 and the decoder
 * (with W_O) frozen to the identity, no residual. The public code reports dev cross-entropy 3.40;
 * the best dev cross-entropy here must be within 1% of it, and the W_V row products (W_V stored
 * as (d_in, d_out): row i is the value of input word i) must order same word > same topic ≫
 * different topics, raw and centred. The source allows 20 epochs with early stopping; 4 are run
 * here, to keep the suite short: a 20-epoch run on this machine measured 4.65, 3.65, 3.44, 3.397,
 * 3.388, 3.3856, 3.3851 at epochs 0–6 and 3.3852–3.3875 after: 4 epochs reach 3.388, 0.4% from
 * 3.40 and 0.1% from the plateau, while 2 (3.44) would fail the 1% bound.
 */
class TopicsDemoTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  @Test
  void theUniformAttentionDemoReachesTheSourcesDevCrossEntropyAndTopicStructureInWv() throws Exception {
    LdaSpec spec = LdaSpec.paper(2023);
    LdaGenerator generator = new LdaGenerator(spec);
    List<LdaDocument> train = new ArrayList<>();
    List<LdaDocument> dev = new ArrayList<>();
    for (int i = 0; i < spec.trainDocs(); i++) {
      train.add(generator.document(LdaGenerator.TRAIN, i));
    }
    for (int i = 0; i < 2_000; i++) {
      dev.add(generator.document(LdaGenerator.DEV, i));
    }
    TaskData data = new LdaDataset.Corpus("demo", spec, train, dev, List.of())
        .taskData(new MaskedLm(7, MaskedLm.PAPER_RATE, MaskedLm.Policy.ONCE), dev.size());
    int v = spec.vocabularySize();
    ModelConfig model = TopicsEncoders.uniformAttention(v, data.seqLen());
    int epochSteps = spec.trainDocs() / 40;
    int steps = 4 * epochSteps;
    TrainConfig train4 = new TrainConfig(steps, 40, 0.9, 0.999, 1e-8, LrSchedule.constant(steps), 0, epochSteps,
        epochSteps, steps);
    RunStore store = new RunStore(tmp.toString(), new HadoopFiles(new org.apache.hadoop.conf.Configuration()));
    // W_V drawn like torch's nn.Linear default, U(±1/√104): σ = 1/√(3·104).
    MemberSpec member = new MemberSpec("demo", 1, new InitScheme.FixedStd(1 / Math.sqrt(3.0 * v)), 0.01, 0.0);
    RunOutcome out = new PackTrainer(new PackSpec("demo", model, train4, List.of(member)), data, store, Device.cpu())
        .train().get(0);
    assertThat(out.status()).as("%s", out.reason()).isEqualTo(RunOutcome.FINISHED);
    List<Double> devLoss = out.evals().stream().filter(r -> r.metric().equals(EvalRow.CROSS_ENTROPY))
        .map(EvalRow::value).toList();
    double best = devLoss.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    System.out.printf("topics demo: dev cross-entropy per epoch %s; best %.4f (source 3.40); %.1f ms/step%n",
        devLoss.stream().map(x -> String.format("%.4f", x)).toList(), best, out.msPerStep());
    assertThat(Math.abs(best - 3.40) / 3.40).isLessThan(0.01);

    float[] wv;
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu())) {
      wv = store.loadParams("demo", steps, m).stream().filter(t -> t.getName().equals(Names.attnV(0))).findFirst()
          .orElseThrow().toFloatArray();
    }
    java.util.function.IntUnaryOperator topics = TopicBuckets.synthetic(4, spec.wordsPerTopic());
    Map<String, Double> raw = TopicBuckets.rowProducts(wv, v, v, topics, false, false);
    Map<String, Double> centred = TopicBuckets.rowProducts(wv, v, v, topics, true, false);
    System.out.printf("topics demo: W_V row products raw %s, centred %s%n", raw, centred);
    for (Map<String, Double> p : List.of(raw, centred)) {
      assertThat(p.get(TopicBuckets.SAME_TOKEN)).isGreaterThan(p.get(TopicBuckets.SAME_TOPIC));
      assertThat(p.get(TopicBuckets.SAME_TOPIC)).isGreaterThan(p.get(TopicBuckets.DIFFERENT_TOPIC));
    }
    // Centred, the gap is large: the shared drift of each row's mean no longer hides it.
    assertThat(centred.get(TopicBuckets.SAME_TOPIC) - centred.get(TopicBuckets.DIFFERENT_TOPIC))
        .as("same topic ≫ different topics").isGreaterThan(0.5 * centred.get(TopicBuckets.SAME_TOPIC));
  }
}
