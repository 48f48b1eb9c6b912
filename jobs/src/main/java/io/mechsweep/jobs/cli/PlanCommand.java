package io.mechsweep.jobs.cli;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.config.Sweep;
import io.mechsweep.jobs.plan.PlanReport;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.RunStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Show a study before it runs: its axes, the runs and packs with their shapes, the runs the root"
        + " already has (done, failed, to train) and each pack shape's memory per run; with --time, the training"
        + " time from a few timed steps per shape. Writes nothing; a grid too large to list gets its counts.",
    footer = {"", "Example: bin/mechsweep plan conf/studies/anchor-paper.yaml --set training.steps=1000 --time"})
public final class PlanCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions config;

  @Option(names = "--time", description = "Estimate the training time from a few timed steps per pack shape.")
  boolean time;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Override
  public Integer call() throws Exception {
    PlanReport report = new PlanReport(System.out);
    StudyConfig first = StudyConfigParser.parseFirst(config.config, config.overrides);
    if (first.sweep().pointCount() > Sweep.MAX_POINTS) {
      report.counts(first);
      return ExitCodes.OK;
    }
    String root = common.resolvedRoot();
    HadoopFiles files = HadoopFiles.forDefaultConfiguration();
    StudyPlan plan = StudyPlan.of(io.mechsweep.jobs.plan.RunReferences.resolve(config.parse(), files, root));
    boolean rootExists = files.exists(new org.apache.hadoop.fs.Path(root));
    Optional<TaskData> data;
    try {
      data = Optional.of(plan.config().task().generateInMemory(plan.config().evaluation().maxRowsPerSet()));
    } catch (UnsupportedOperationException e) { // a task whose data only its Spark job makes (wikipedia)
      data = Optional.empty();
    }
    report.print(plan, rootExists ? Optional.of(new RunStore(root, files)) : Optional.empty(), data, time,
        Runtime.getRuntime().availableProcessors());
    return ExitCodes.OK;
  }
}
