package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export-packs", mixinStandardHelpOptions = true,
    description = "Write the study's unfinished runs as a pack bundle (packs, task data, run configs)"
        + " for `train-packs` on a machine without Spark, e.g. a GPU box; the dataset is generated"
        + " first when missing. Trains nothing.",
    footer = {"", "Example: bin/mechsweep export-packs conf/studies/anchor-paper.yaml --out bundle/",
        "         then on the GPU machine: bin/train-packs bundle/ --root out/ --device gpu:0"})
public final class ExportPacksCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;
  @Mixin StudyOptions options;
  @Mixin RetryOption retry;
  @Spec CommandSpec spec;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The bundle's directory (local).")
  Path out;

  @Option(names = "--pack-size", paramLabel = "K",
      description = "Runs per pack (default: the config's training.pack_size or training.gpu_memory_gib).")
  Integer packSize;

  @Option(names = "--gpu-memory", paramLabel = "GIB",
      description = "Size packs for a GPU of GIB GiB: as many runs of each model shape as fit, measured by one"
          + " training step on this machine's CPU. Replaces the config's training.gpu_memory_gib and"
          + " pack_size (which size packs for its own executors); --pack-size caps it.")
  Double gpuMemory;

  @Override
  public Integer call() throws Exception {
    StudyConfig c = options.parse(spec);
    int max = StudyConfigParser.MAX_PACK_SIZE;
    if (packSize != null && (packSize < 1 || packSize > max)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--pack-size: got " + packSize + "; allowed: an integer in [1, " + max + "]");
    }
    if (gpuMemory != null && !(gpuMemory > 0 && gpuMemory <= 100_000)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--gpu-memory: got " + gpuMemory + "; allowed: GiB, a number in (0, 100000]");
    }
    if (gpuMemory != null) {
      c = c.withGpuMemory(gpuMemory, packSize != null ? packSize : max);
    }
    try (Workspace w = Workspace.writing(common, "export-packs")) {
      new StudyRunner(w.spark(), w.root(), common.catalogMode(), System.out)
          .exportPacks(c, retry.retryFailed, gpuMemory != null ? null : packSize,
              gpuMemory != null ? PackSizing.Knobs.EXPORT_OPTIONS : PackSizing.Knobs.CONFIG, out);
    }
    return ExitCodes.OK;
  }
}
