package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    try (Workspace w = Workspace.writing(common, "generate")) {
      new StudyRunner(w.spark(), w.root(), common.catalogMode(), System.out).generate(c);
    }
    return ExitCodes.OK;
  }
}
