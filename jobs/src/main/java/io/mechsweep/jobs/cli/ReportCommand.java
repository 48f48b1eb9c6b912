package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Regenerate a study's HTML report from its tables (the sections of its task):"
        + " <root>/reports/<study>/index.html.")
public final class ReportCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Parameters(paramLabel = "STUDY", description = "The study's name (the `study:` field of its config).")
  String study;

  @Override
  public Integer call() throws Exception {
    if (!study.matches(io.mechsweep.analysis.tables.Tables.STUDY_NAME)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "STUDY: got '" + study + "'; allowed: a study name of 1-64 letters, digits, '-' or '_'");
    }
    common.requireExistingRoot();
    try (SparkSession spark = common.readingSession("report")) {
      String page = new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out).report(study);
      System.out.println("report: " + page);
    } finally {
      common.removeScratch();
    }
    return ExitCodes.OK;
  }
}
