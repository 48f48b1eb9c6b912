package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Regenerate a study's HTML report from its tables (the sections of its task):"
        + " <root>/reports/<study>/index.html.")
public final class ReportCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Parameters(paramLabel = "STUDY|STUDY.yaml",
      description = "The study's name (the `study:` field of its config), or its config.")
  String study;

  @Override
  public Integer call() throws Exception {
    if (study.endsWith(".yaml") || study.endsWith(".yml")) {
      study = io.mechsweep.jobs.config.StudyConfigParser.parse(java.nio.file.Path.of(study)).study();
    }
    if (!study.matches(io.mechsweep.analysis.tables.Tables.STUDY_NAME)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "STUDY: got '" + study + "'; allowed: a study name of 1-64 letters, digits, '-' or '_'");
    }
    common.requireExistingRoot();
    try (Workspace w = Workspace.reading(common, "report")) {
      String page = new StudyRunner(w.spark(), w.root(), common.catalogMode(), System.out).report(study);
      System.out.println("report: " + page);
    }
    return ExitCodes.OK;
  }
}
