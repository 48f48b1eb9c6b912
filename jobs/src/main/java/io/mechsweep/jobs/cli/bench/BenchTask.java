package io.mechsweep.jobs.cli.bench;

import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.IOException;
import java.nio.file.Path;

/** A study whose first run {@code bench} trains: by default a task's quickstart. */
public record BenchTask(String name, StudyConfig config) {
  /** Rows per evaluation set when timing: evaluation runs only at the first and last step and is not timed. */
  static final int TIMING_EVAL_ROWS = 16;

  /** {@code NAME-quickstart.yaml} in {@code studies} (the repository's conf/studies). */
  public static Path quickstart(Path studies, String task) {
    return studies.resolve(task + "-quickstart.yaml");
  }

  public static BenchTask load(Path studyConfig) throws IOException {
    return load(studyConfig, java.util.List.of());
  }

  /** The study in {@code studyConfig} with the command line's {@code --set} overrides. */
  public static BenchTask load(Path studyConfig, java.util.List<String> overrides) throws IOException {
    StudyConfig c = StudyConfigParser.parse(studyConfig, overrides);
    return new BenchTask(c.task().kind().name(), c);
  }

  /**
   * The first run, with evaluation sets of a few rows (timing leaves evaluation out).
   *
   * @throws UnsupportedOperationException for a task whose data only a Spark job makes
   */
  public TrainingBenchmark.Setup timingSetup() {
    return setup(TIMING_EVAL_ROWS);
  }

  /** The first run with the study's own evaluation sets, so that profiled evaluations cost what the study's do. */
  public TrainingBenchmark.Setup profileSetup() {
    return setup(config.evaluation().maxRowsPerSet());
  }

  /** How often the study evaluates: the steps one evaluation's cost spreads over. */
  public int evalEvery() {
    return config.evaluation().everySteps();
  }

  private TrainingBenchmark.Setup setup(int evalRows) {
    RunSpec run = StudyPlan.of(config).runs().get(0);
    return new TrainingBenchmark.Setup(name, StudyPlan.modelConfig(run), config.task().generateInMemory(evalRows),
        run.point().init(), run.point().peakLr(), run.point().weightDecay(), config.training().clipNorm(),
        config.training().batchSize());
  }
}
