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

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate the study's dataset as Parquet (reused when already complete).")
public final class GenerateCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    StudyConfig c = config.parse();
    try (RootLock lock = common.lockForWriting("generate"); SparkSession spark = common.session("generate")) {
      new StudyRunner(spark, common.resolvedRoot(), common.catalogMode(), System.out).generate(c);
    } finally {
      common.removeScratch();
    }
    return ExitCodes.OK;
  }
}
