package io.mechsweep.jobs.plan;

import io.mechsweep.datagen.BadInputException;
import io.mechsweep.jobs.config.RunReference;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.status.StudyRoster;
import io.mechsweep.training.checkpoint.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Resolves {@code model.init_from} runs given by study and name ({@link RunReference}) to run ids from the root's rosters. */
public final class RunReferences {
  private RunReferences() {}

  public static StudyConfig resolve(StudyConfig config, HadoopFiles files, String root) throws IOException {
    try {
      return config.withInitFrom(value -> {
        RunReference ref = RunReference.parse(value);
        return ref == null ? value : ref.withId(runId(ref, files, root));
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static String runId(RunReference ref, HadoopFiles files, String root) {
    try {
      StudyRoster roster = StudyRoster.read(files, root, ref.study()).orElseThrow(() -> new BadInputException(
          "model.init_from: no study '" + ref.study() + "' has trained under " + root + "; train it first, or give"
              + " the run's id"));
      return roster.runs().stream().filter(r -> r.name().equals(ref.name())).findFirst()
          .map(StudyRoster.Entry::runId)
          .orElseThrow(() -> new BadInputException("model.init_from: study '" + ref.study() + "' has no run named '"
              + ref.name() + "'; its runs: " + roster.runs().stream().map(StudyRoster.Entry::name).toList()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
