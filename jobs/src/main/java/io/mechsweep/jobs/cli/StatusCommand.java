package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.status.StatusReport;
import io.mechsweep.jobs.status.StudyRoster;
import io.mechsweep.training.checkpoint.HadoopFiles;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each study's runs under the root: finished, running (step, ms per step, time left),"
        + " failed (with the reason) and pending. Reads without the root's lock, so it works while a study trains.",
    footer = {"", "Example: bin/mechsweep status --root /data/ms --study anchor-paper"})
public final class StatusCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;

  @Option(names = "--study", paramLabel = "NAME", description = "Only this study (default: every study of the root).")
  String study;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Override
  public Integer call() throws Exception {
    common.requireExistingRoot();
    String root = common.resolvedRoot();
    HadoopFiles files = HadoopFiles.forDefaultConfiguration();
    StatusReport report = new StatusReport(files, root, System.out);
    List<String> studies = study != null ? List.of(study) : StudyRoster.studies(files, root);
    if (studies.isEmpty()) {
      System.out.println("status: no study has trained under " + root + " yet");
    }
    for (String s : studies) {
      if (!report.print(s)) {
        throw new io.mechsweep.datagen.BadInputException("--study: no study '" + s + "' has trained under " + root
            + "; known: " + StudyRoster.studies(files, root));
      }
    }
    return ExitCodes.OK;
  }
}
