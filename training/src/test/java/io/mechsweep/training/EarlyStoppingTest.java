package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.topics.LdaDataset;
import io.mechsweep.datagen.topics.LdaGenerator;
import io.mechsweep.datagen.topics.LdaSpec;
import io.mechsweep.datagen.topics.MaskedLm;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.EarlyStopping;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.RunOutcome;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.optim.LrSchedule;
import io.mechsweep.training.topics.TopicsEncoders;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early stopping on held-out cross-entropy: the rule, and a member stopping inside a pack. */
class EarlyStoppingTest {
  @TempDir Path tmp;

  @Test
  void aMemberStopsAfterPatienceEvaluationsWithoutALowerLoss() {
    EarlyStopping s = new EarlyStopping(2);
    assertThat(s.observe(0, 4.0)).isFalse();
    assertThat(s.observe(10, 3.5)).isFalse();
    assertThat(s.observe(20, 3.5)).isFalse(); // equal is not lower: one without
    assertThat(s.observe(30, 3.4)).isFalse(); // a new best resets the count
    assertThat(s.observe(40, 3.6)).isFalse();
    assertThat(s.observe(50, 3.41)).isTrue();
    assertThat(s.stoppedAt()).isEqualTo(50);
    assertThat(s.best()).isEqualTo(3.4);
    assertThat(s.bestStep()).isEqualTo(30);
    assertThat(s.observe(60, 1.0)).as("stopped stays stopped").isFalse();
    assertThat(new EarlyStopping(0).observe(10, 9.0)).as("patience 0 never stops").isFalse();

    // Rebuilt from the rows a checkpoint holds (accuracy rows and other sets ignored), it is where it was.
    List<EvalRow> rows = List.of(
        new EvalRow("r", 0, "dev", EvalRow.CROSS_ENTROPY, EvalRow.ALL, 4.0, 9),
        new EvalRow("r", 0, "dev", "accuracy", EvalRow.ALL, 0.1, 9),
        new EvalRow("r", 10, "dev", EvalRow.CROSS_ENTROPY, EvalRow.ALL, 3.5, 9),
        new EvalRow("r", 20, "dev", EvalRow.CROSS_ENTROPY, EvalRow.ALL, 3.6, 9));
    EarlyStopping replayed = EarlyStopping.replay(2, rows);
    assertThat(replayed.stopped()).isFalse();
    assertThat(replayed.observe(30, 3.7)).isTrue();
    assertThat(EarlyStopping.replay(1, rows).stoppedAt()).isEqualTo(20);
  }

  @Test
  void aStoppedMemberKeepsItsStopStepWhileItsPackMateTrainsOn() throws Exception {
    LdaSpec spec = new LdaSpec(5, 3, 4, 0.1, 10, 14, 120, 30, 1);
    LdaGenerator g = new LdaGenerator(spec);
    LdaDataset.Corpus corpus = new LdaDataset.Corpus("tiny", spec,
        IntStream.range(0, spec.trainDocs()).mapToObj(i -> g.document(LdaGenerator.TRAIN, i)).toList(),
        IntStream.range(0, spec.devDocs()).mapToObj(i -> g.document(LdaGenerator.DEV, i)).toList(), List.of());
    TaskData data = corpus.taskData(new MaskedLm(1, MaskedLm.PAPER_RATE, MaskedLm.Policy.ONCE), 30);
    int steps = 40;
    TrainConfig config = new TrainConfig(steps, 20, 0.9, 0.999, 1e-8, LrSchedule.constant(steps), 0, 5, 10, 20, 1);
    // lr 0: the dev loss never gets lower, so with patience 1 the member stops at the first evaluation after step 0.
    MemberSpec still = new MemberSpec("still", 1, new InitScheme.FixedStd(0.05), 0.0, 0.0);
    MemberSpec learning = new MemberSpec("learning", 2, new InitScheme.FixedStd(0.05), 0.05, 0.0);
    RunStore store = new RunStore(tmp.toString(), new HadoopFiles(new Configuration()));
    PackSpec pack = new PackSpec("stop", TopicsEncoders.uniformAttention(spec.vocabularySize(), spec.maxTokens()),
        config, List.of(still, learning));
    List<RunOutcome> out = new PackTrainer(pack, data, store, Device.cpu()).train();

    RunOutcome stopped = out.get(0);
    assertThat(stopped.status()).as("%s", stopped.reason()).isEqualTo(RunOutcome.FINISHED);
    assertThat(stopped.finalStep()).isEqualTo(10);
    assertThat(store.completedSteps("still")).containsExactly(10);
    assertThat(stopped.evals()).extracting(EvalRow::step).allMatch(s -> s <= 10);
    assertThat(stopped.metrics()).extracting(m -> m.step()).allMatch(s -> s <= 10);

    RunOutcome trained = out.get(1);
    List<Double> devLoss = trained.evals().stream().filter(r -> r.metric().equals(EvalRow.CROSS_ENTROPY))
        .map(EvalRow::value).toList();
    assertThat(trained.evals()).extracting(EvalRow::step).contains(20);
    assertThat(devLoss.get(1)).as("the learner's dev loss fell").isLessThan(devLoss.get(0));
    assertThat(store.completedSteps("learning")).contains(20);
  }
}
