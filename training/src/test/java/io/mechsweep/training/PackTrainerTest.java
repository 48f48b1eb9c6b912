package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackTrainerTest {
  private static final MemberSpec A = new MemberSpec("run-a", 1, 0.3, 2e-3, 0.01);
  private static final MemberSpec B = new MemberSpec("run-b", 2, 0.8, 1e-3, 0.1);
  private static final MemberSpec C = new MemberSpec("run-c", 3, 0.5, 5e-3, 0.0);

  @TempDir Path tmp;

  private RunStore store(String name) {
    return new RunStore(tmp.resolve(name).toString(), new HadoopFiles(new Configuration()));
  }

  private static List<RunOutcome> train(PackSpec pack, RunStore store) {
    return new PackTrainer(pack, Fixtures.DATA, store, Device.cpu()).train();
  }

  /** The member's tensors at a checkpoint, by name. */
  private static Map<String, float[]> params(RunStore store, String runId, int step) throws Exception {
    Map<String, float[]> out = new TreeMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      for (NDArray t : store.load(runId, step, m).params()) {
        out.put(t.getName(), Tensors.floats(t));
      }
    }
    return out;
  }

  private static void assertSameParams(Map<String, float[]> a, Map<String, float[]> b, float tolerance) {
    assertThat(a.keySet()).isEqualTo(b.keySet());
    a.forEach((name, x) -> {
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertThat(Math.abs(x[i] - y[i])).as("%s[%d]: %s vs %s", name, i, x[i], y[i])
            .isLessThanOrEqualTo(tolerance * Math.max(1f, Math.abs(x[i])));
      }
    });
  }

  @Test
  void aPackOfThreeEqualsTheThreeRunsTrainedAlone() throws Exception {
    RunStore packed = store("packed");
    List<RunOutcome> together = train(Fixtures.pack(25, 0, A, B, C), packed);
    assertThat(together).extracting(RunOutcome::status).containsOnly(RunOutcome.FINISHED);
    for (MemberSpec m : List.of(A, B, C)) {
      RunStore alone = store("alone-" + m.runId());
      RunOutcome solo = train(Fixtures.pack(25, 0, m), alone).get(0);
      RunOutcome inPack = together.stream().filter(o -> o.runId().equals(m.runId())).findFirst().orElseThrow();
      assertThat(inPack.metrics()).hasSize(25);
      for (int s = 0; s < 25; s++) {
        assertThat(inPack.metrics().get(s).loss())
            .as("%s loss at step %d", m.runId(), s + 1)
            .isCloseTo(solo.metrics().get(s).loss(), org.assertj.core.api.Assertions.within(1e-5));
      }
      assertSameParams(params(packed, m.runId(), 25), params(alone, m.runId(), 25), 1e-5f);
    }
    // The members really differ (different γ, lr, wd, seed): not one run copied three times.
    assertThat(together.get(0).metrics().get(24).loss()).isNotEqualTo(together.get(1).metrics().get(24).loss());
  }

  @Test
  void resumingFromACheckpointEqualsTheUninterruptedRun() throws Exception {
    RunStore straight = store("straight");
    RunOutcome uninterrupted = train(Fixtures.pack(30, 10, A, B), straight).get(0);

    RunStore crashed = store("crashed");
    train(Fixtures.pack(30, 10, A, B), crashed);
    // Simulate a crash after the step-20 checkpoint: the later checkpoint and the results vanish.
    for (MemberSpec m : List.of(A, B)) {
      deleteRecursively(local(crashed.checkpointDir(m.runId(), 30)));
      Files.delete(local(crashed.resultPath(m.runId())));
    }
    assertThat(crashed.completedSteps(A.runId())).containsExactly(10, 20);
    RunOutcome resumed = train(Fixtures.pack(30, 10, A, B), crashed).get(0);

    assertThat(resumed.resumedFromStep()).isEqualTo(20);
    assertThat(resumed.metrics()).extracting(MetricRow::loss)
        .containsExactlyElementsOf(uninterrupted.metrics().stream().map(MetricRow::loss).toList());
    assertThat(resumed.evals()).extracting(EvalRow::value)
        .containsExactlyElementsOf(uninterrupted.evals().stream().map(EvalRow::value).toList());
    assertSameParams(params(crashed, A.runId(), 30), params(straight, A.runId(), 30), 0f);
    assertThat(crashed.result(A.runId())).hasValueSatisfying(o -> assertThat(o.finished()).isTrue());
  }

  @Test
  void aPackStoppedByItsDeadlineKeepsItsCheckpointAndResumesToTheUninterruptedRun() throws Exception {
    RunStore straight = store("straight");
    List<RunOutcome> uninterrupted = train(Fixtures.pack(30, 10, A, B), straight);

    RunStore cut = store("cut");
    // A deadline already past: the pack stops at its first checkpoint, the only one written.
    List<RunOutcome> stopped = new PackTrainer(Fixtures.pack(30, 10, A, B), Fixtures.DATA, cut, Device.cpu())
        .stopBy(System.nanoTime()).train();
    assertThat(stopped).extracting(RunOutcome::status).containsOnly(RunOutcome.FAILED);
    assertThat(stopped).extracting(RunOutcome::finalStep).containsOnly(10);
    assertThat(stopped.get(0).reason()).startsWith("stopped at step 10 of 30: the next checkpoint");
    assertThat(stopped.get(0).metrics()).extracting(MetricRow::loss)
        .containsExactlyElementsOf(uninterrupted.get(0).metrics().subList(0, 10).stream().map(MetricRow::loss).toList());
    assertThat(cut.completedSteps(A.runId())).containsExactly(10);
    assertThat(cut.result(A.runId())).hasValueSatisfying(o -> assertThat(o.finished()).isFalse());

    // Trained again (what --retry-failed does), it resumes at step 10 and ends where one go ends.
    RunOutcome resumed = train(Fixtures.pack(30, 10, A, B), cut).get(0);
    assertThat(resumed.resumedFromStep()).isEqualTo(10);
    assertThat(resumed.finished()).isTrue();
    assertThat(resumed.metrics()).extracting(MetricRow::loss)
        .containsExactlyElementsOf(uninterrupted.get(0).metrics().stream().map(MetricRow::loss).toList());
    assertSameParams(params(cut, A.runId(), 30), params(straight, A.runId(), 30), 0f);

    // A deadline far off changes nothing.
    RunOutcome unhurried = new PackTrainer(Fixtures.pack(30, 10, A, B), Fixtures.DATA, store("far"), Device.cpu())
        .stopBy(System.nanoTime() + 3_600_000_000_000L).train().get(0);
    assertThat(unhurried.finished()).isTrue();
    assertThat(unhurried.finalStep()).isEqualTo(30);
  }

  @Test
  void aDivergingRunIsRecordedAsFailedAndTheOthersFinish() {
    MemberSpec diverging = new MemberSpec("run-diverges", 4, 0.3, 1e30, 0.01);
    List<RunOutcome> out = train(Fixtures.pack(20, 0, A, diverging), store("nan"));
    assertThat(out.get(0).status()).isEqualTo(RunOutcome.FINISHED);
    assertThat(out.get(0).metrics()).hasSize(20);
    assertThat(out.get(1).status()).isEqualTo(RunOutcome.FAILED);
    assertThat(out.get(1).reason()).contains("loss became").contains("at step").contains("lr 1.0E30");
  }

  @Test
  void trainingOnTwoThreadsAtOnceMatchesSequentialTraining() throws Exception {
    // DJL's gradient collector would collide here; mechsweep's thread-confined autograd must not.
    List<RunOutcome> sequential = new ArrayList<>(train(Fixtures.pack(15, 0, A), null));
    sequential.addAll(train(Fixtures.pack(15, 0, B), null));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<RunOutcome>> fa = pool.submit(() -> train(Fixtures.pack(15, 0, A), null));
      Future<List<RunOutcome>> fb = pool.submit(() -> train(Fixtures.pack(15, 0, B), null));
      List<RunOutcome> concurrent = List.of(fa.get().get(0), fb.get().get(0));
      for (int i = 0; i < 2; i++) {
        assertThat(concurrent.get(i).status()).isEqualTo(RunOutcome.FINISHED);
        assertThat(concurrent.get(i).metrics()).extracting(MetricRow::loss)
            .containsExactlyElementsOf(sequential.get(i).metrics().stream().map(MetricRow::loss).toList());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void corrupt(RunStore s, MemberSpec m, int step) throws Exception {
    Path params = local(s.checkpointDir(m.runId(), step)).resolve(RunStore.PARAMS);
    byte[] bytes = Files.readAllBytes(params);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(params, bytes);
  }

  /** The run's state after a crash past {@code step}: later checkpoints and its result gone. */
  private static void crashAfter(RunStore s, MemberSpec m, int step, int steps) throws Exception {
    for (int later = step + 5; later <= steps; later += 5) {
      deleteRecursively(local(s.checkpointDir(m.runId(), later)));
    }
    Files.delete(local(s.resultPath(m.runId())));
  }

  @Test
  void aCorruptCheckpointIsRefusedNamingTheFile() throws Exception {
    RunStore s = store("corrupt");
    train(Fixtures.pack(10, 5, A), s);
    corrupt(s, A, 5);
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> s.load(A.runId(), 5, m))
          .hasMessageContaining("is corrupt").hasMessageContaining("params.npz");
    }
    assertThatThrownBy(() -> s.verify(A.runId(), 5)).hasMessageContaining("is corrupt").hasMessageContaining("params.npz");
  }

  /**
   * A member whose newest checkpoint is corrupt resumes from its previous one; its pack-mate's
   * result is bit-identical to an undisturbed run (and so is its own: training is deterministic).
   */
  @Test
  void aMemberWithACorruptNewestCheckpointFallsBackAndItsPackMateIsUnaffected() throws Exception {
    RunStore straight = store("undisturbed");
    List<RunOutcome> undisturbed = train(Fixtures.pack(20, 5, A, B), straight);

    RunStore s = store("fallback");
    train(Fixtures.pack(20, 5, A, B), s);
    crashAfter(s, A, 15, 20);
    crashAfter(s, B, 15, 20);
    corrupt(s, A, 15);
    List<RunOutcome> resumed = train(Fixtures.pack(20, 5, A, B), s);

    for (int i = 0; i < 2; i++) {
      assertThat(resumed.get(i).status()).isEqualTo(RunOutcome.FINISHED);
      assertThat(resumed.get(i).resumedFromStep()).as("the newest step where both verify").isEqualTo(10);
      assertThat(resumed.get(i).metrics()).extracting(MetricRow::loss)
          .containsExactlyElementsOf(undisturbed.get(i).metrics().stream().map(MetricRow::loss).toList());
    }
    assertSameParams(params(s, B.runId(), 20), params(straight, B.runId(), 20), 0f);
    assertSameParams(params(s, A.runId(), 20), params(straight, A.runId(), 20), 0f);
    s.verify(A.runId(), 15); // the corrupt checkpoint was rewritten by the retrained steps

    // No valid checkpoint at all: the run restarts from step 0 and still finishes with the same numbers.
    crashAfter(s, A, 5, 20);
    crashAfter(s, B, 5, 20);
    corrupt(s, A, 5);
    List<RunOutcome> restarted = train(Fixtures.pack(20, 5, A, B), s);
    assertThat(restarted.get(0).resumedFromStep()).isZero();
    assertThat(restarted.get(0).metrics()).extracting(MetricRow::loss)
        .containsExactlyElementsOf(undisturbed.get(0).metrics().stream().map(MetricRow::loss).toList());
    assertSameParams(params(s, B.runId(), 20), params(straight, B.runId(), 20), 0f);
  }

  private static Path local(String p) {
    return Path.of(p);
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void progressDurationsReadAsTime() {
    assertThat(PackTrainer.duration(42.4)).isEqualTo("42s");
    assertThat(PackTrainer.duration(185)).isEqualTo("3m05s");
    assertThat(PackTrainer.duration(3725)).isEqualTo("1h02m");
  }
}
