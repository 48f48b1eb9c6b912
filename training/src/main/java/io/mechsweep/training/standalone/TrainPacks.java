package io.mechsweep.training.standalone;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mechsweep.training.MemberSpec;
import io.mechsweep.training.PackMemory;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.bench.ReferenceInputs;
import io.mechsweep.training.checkpoint.HadoopFiles;
import io.mechsweep.training.checkpoint.LocalFiles;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Trains the packs of a {@link PackBundle} without Spark, one after another on one device, with
 * the {@link PackTrainer} a study's Spark tasks use: the same checkpoints and results files under
 * {@code --root}. Copy that root's {@code checkpoints/} and {@code results/} into the study's root
 * and {@code mechsweep study} skips the finished runs and builds tables, probes and the report.
 */
@Command(name = "train-packs", mixinStandardHelpOptions = true,
    description = {"Train the packs of a bundle (`mechsweep export-packs`) without Spark, on one device:"
        + " checkpoints/ and results/ go under --root exactly as a study writes them. Runs already"
        + " finished under --root are skipped; unfinished ones resume from their last checkpoint.",
        "",
        "Then copy <root>/checkpoints and <root>/results into the study's root and run"
        + " `mechsweep study STUDY.yaml` there: it trains nothing that finished and writes the"
        + " tables, probes and report."},
    footer = {"", "Example (GPU machine): bin/train-packs bundle/ --root out/ --device gpu:0"})
public final class TrainPacks implements Callable<Integer> {
  static final int OK = 0;
  static final int BAD_INPUT = 2;
  static final int RUNS_FAILED = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "A directory written by `mechsweep export-packs`.")
  Path bundle;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Where checkpoints/ and results/ go: a local path (java.nio; no Hadoop jars needed)"
          + " or, where Hadoop's jars are on the classpath, a Hadoop FileSystem URI (hdfs://…)."
          + " Default: $MECHSWEEP_ROOT (unused with --timing-only).")
  String root;

  @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu:N",
      description = "auto: GPU 0 when libtorch sees one, else the CPU. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--threads", paramLabel = "N",
      description = "libtorch's CPU threads (CPU only). Default: the machine's cores.")
  Integer threads;

  @Option(names = "--packs", split = ",", paramLabel = "I",
      description = "Train only these packs, by index in the bundle's manifest (0-based), e.g. to"
          + " spread a bundle over several GPUs: --packs 0,2 --device gpu:0 and --packs 1,3 --device gpu:1.")
  List<Integer> only;

  @Option(names = "--retry-failed", description = "Train runs that failed before (under --root) again.")
  boolean retryFailed;

  @Option(names = "--stop-after", paramLabel = "SECONDS",
      description = "Stop a pack at the first checkpoint after which the next one would come later than SECONDS"
          + " after train-packs started (judged by the last stretch between checkpoints): its unfinished runs are"
          + " recorded as failed at that step, with their curve and evaluations so far, and resume from that"
          + " checkpoint with --retry-failed. For a machine lent for a fixed time; packs not yet started are skipped.")
  Integer stopAfter;

  @Option(names = "--timing-only",
      description = "Train every run of the packs from the start and print the timings; write nothing (no"
          + " checkpoints, no results; so no --root). For benchmarks: the final checkpoints of a pack"
          + " at the paper's widths take longer to compress than its steps take to train.")
  boolean timingOnly;

  @Option(names = "--reference-inputs", paramLabel = "DIR",
      description = "Train nothing: write what training/python/reference.py parity needs to train the bundle's"
          + " one run in PyTorch from the same weights and batches (its loss curve then compares with"
          + " `reference.py compare`; log every step for that).")
  Path referenceInputs;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    PackBundle b = PackBundle.read(bundle);
    if (referenceInputs != null) {
      return writeReferenceInputs(b, out);
    }
    if (root == null && !timingOnly) {
      root = System.getenv("MECHSWEEP_ROOT");
    }
    if (root == null && !timingOnly) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--root: missing; where checkpoints/ and results/ go (or $MECHSWEEP_ROOT, or --timing-only)");
    }
    // --timing-only trains every run from the start and writes nothing: a root it would
    // neither read nor write must not look as if it were used.
    if (timingOnly && (root != null || retryFailed || stopAfter != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          (root != null ? "--root" : retryFailed ? "--retry-failed" : "--stop-after")
          + ": not used with --timing-only, which trains every run from the start and writes nothing; drop one of them");
    }
    if (stopAfter != null && stopAfter <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--stop-after: got " + stopAfter
          + "; give the seconds train-packs may take, a positive number");
    }
    long deadline = stopAfter == null ? 0 : started + stopAfter * 1_000_000_000L;
    List<Integer> indices = selected(b);
    int cpuThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    Engine engine = TorchRuntime.init(cpuThreads);
    Device target = device(engine);
    RunStore store = timingOnly ? null
        : new RunStore(root(), LocalFiles.isLocal(root) ? new LocalFiles() : HadoopFiles.forDefaultConfiguration());
    out.printf(Locale.ROOT, "train-packs: study %s, %d packs (%d runs) in %s; %s on %s (libtorch %s, %d GPU%s)%n",
        b.study(), b.packs().size(), b.runCount(), bundle, indices.size() == b.packs().size() ? "all" : "packs " + indices,
        target.getDeviceType().equals(Device.Type.CPU) ? "cpu (" + cpuThreads + " threads)" : target,
        engine.getVersion(), engine.getGpuCount(), engine.getGpuCount() == 1 ? "" : "s");
    out.flush();
    Map<String, Object> configs = b.checkpointConfigs(); // parsed once for every pack
    int failed = 0;
    int finished = 0;
    for (int i : indices) {
      PackSpec pack = timingOnly ? b.packs().get(i) : unfinished(b.packs().get(i), store);
      if (pack == null) {
        out.printf("pack %d %s: every run already has a result under %s%n", i, b.packs().get(i).packId(), root());
        continue;
      }
      if (stopAfter != null && System.nanoTime() - deadline >= 0) {
        out.printf("pack %d %s: not started, --stop-after %d s has passed%n", i, pack.packId(), stopAfter);
        continue;
      }
      out.printf(Locale.ROOT, "pack %d %s: %d run%s, %d steps; %s%n", i, pack.packId(),
          pack.size(), pack.size() == 1 ? "" : "s", pack.train().steps(), tensorEstimate(pack, b));
      out.flush();
      PackTrainer trainer = new PackTrainer(pack, b.data(), store, target, configs);
      List<RunOutcome> outcomes = (stopAfter == null ? trainer : trainer.stopBy(deadline)).train();
      for (RunOutcome o : outcomes) {
        if (o.finished()) {
          finished++;
          out.printf(Locale.ROOT, "  %s finished at step %d, loss %.4f, %.1f ms/step on %s%n",
              o.runId(), o.finalStep(), o.finalLoss(), o.msPerStep(), o.device());
        } else {
          failed++;
          out.printf(Locale.ROOT, "  %s FAILED: %s%n", o.runId(), o.reason());
        }
      }
      RunOutcome first = outcomes.get(0);
      out.printf(Locale.ROOT, "pack %d %s: K = %d, %.1f ms/step, %.2f ms per run-step on %s%n", i, pack.packId(),
          pack.size(), first.msPerStep(), first.msPerStep() / pack.size(), first.device());
      out.flush();
    }
    if (timingOnly) {
      out.printf("train-packs: %d run(s) finished, %d failed; timing only, nothing written.%n", finished, failed);
    } else {
      out.printf("train-packs: %d run(s) finished, %d failed; results under %s/results. Copy %s/checkpoints and"
          + " %s/results into the study's root, then run `mechsweep study` on its config there.%n",
          finished, failed, root(), root(), root());
    }
    out.flush();
    return failed > 0 ? RUNS_FAILED : OK;
  }

  /**
   * What the pack's tensors will take on the device, measured here on the CPU: beside the GPU's
   * own peak it shows whether --pack-size or training.gpu_memory_gib sized packs well. Only
   * informative, so a measurement that fails does not keep the pack from training.
   */
  private static String tensorEstimate(PackSpec pack, PackBundle b) {
    try {
      PackMemory memory = PackMemory.measure(pack, b.data());
      return "tensors " + PackMemory.size(pack.size() * memory.runBytes()) + ": " + pack.size() + " × " + memory.describe();
    } catch (RuntimeException e) {
      return "tensors not estimated (" + e + ")";
    }
  }

  private int writeReferenceInputs(PackBundle b, PrintWriter out) throws IOException {
    if (b.runCount() != 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--reference-inputs: the bundle has " + b.runCount()
          + " runs and the reference trains one: export a study of one run (e.g. conf/studies/anchor-gpu-parity.yaml)");
    }
    TorchRuntime.init(1);
    PackSpec pack = b.packs().get(0);
    ReferenceInputs.write(referenceInputs, pack.model(), pack.train(), pack.members().get(0), b.data(), 1);
    out.printf("train-packs: reference.py's inputs for run %s in %s%n", pack.members().get(0).runId(), referenceInputs);
    out.flush();
    return OK;
  }

  /** The pack without its runs that already have a result (a failed one kept with --retry-failed); null if none is left. */
  private PackSpec unfinished(PackSpec pack, RunStore store) throws IOException {
    List<MemberSpec> todo = new ArrayList<>();
    for (MemberSpec m : pack.members()) {
      if (RunStore.needsTraining(store.result(m.runId()), retryFailed)) {
        todo.add(m);
      }
    }
    if (todo.isEmpty()) {
      return null;
    }
    return new PackSpec(pack.packId(), pack.model(), pack.train(), pack.mimic(), todo);
  }

  private List<Integer> selected(PackBundle b) {
    if (only == null) {
      return java.util.stream.IntStream.range(0, b.packs().size()).boxed().toList();
    }
    for (int i : only) {
      if (i < 0 || i >= b.packs().size()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--packs: got " + i + "; allowed: 0.."
            + (b.packs().size() - 1) + " (the bundle has " + b.packs().size() + " packs)");
      }
    }
    return List.copyOf(new java.util.TreeSet<>(only));
  }

  /** The device --device names, refused when libtorch cannot see it (never a silent fallback to the CPU). */
  private Device device(Engine engine) {
    int gpus = engine.getGpuCount();
    if (device.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (device.equals("cpu")) {
      return Device.cpu();
    }
    if (device.matches("gpu:\\d+")) {
      int id = Integer.parseInt(device.substring(4));
      if (id >= gpus) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--device: got " + device + " but libtorch "
            + engine.getVersion() + " sees " + gpus + " GPU" + (gpus == 1 ? "" : "s")
            + " (a CPU-only libtorch sees none: see docs/gpu.md)");
      }
      return Device.gpu(id);
    }
    throw new CommandLine.ParameterException(spec.commandLine(),
        "--device: got '" + device + "'; allowed: auto, cpu, gpu:N");
  }

  private String root() {
    return root.contains(":") ? root : Path.of(root).toAbsolutePath().normalize().toString();
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command: 0, 2 for bad input (one line on {@code err}), 3 when some runs failed. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new TrainPacks());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, a) -> {
      cli.getErr().println("train-packs: " + e.getMessage() + " (see train-packs --help)");
      return BAD_INPUT;
    });
    // A user's mistake (a damaged bundle, a missing source checkpoint) is bad input; any other
    // failure, an IOException of a full disk included, is a bug or the machine's and keeps its trace.
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof io.mechsweep.datagen.BadInputException) {
        cmd.getErr().println("train-packs: " + e.getMessage());
        return BAD_INPUT;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
