package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The study config of every command that reads one: the YAML file and its {@code --set} overrides. */
public final class ConfigOptions {
  @Parameters(paramLabel = "STUDY.yaml", description = "Study config, e.g. conf/studies/anchor-quickstart.yaml")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a config field, e.g. --set training.steps=500; a list makes it a grid axis"
          + " (--set model.d_model=[64,128]). Enters the run configs and ids exactly like the YAML. Repeatable.")
  List<String> overrides = new ArrayList<>();

  StudyConfig parse() throws java.io.IOException {
    return StudyConfigParser.parse(config, overrides);
  }
}
