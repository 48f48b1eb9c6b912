package io.mechsweep.jobs.stages;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.jobs.plan.PackSizing;
import io.mechsweep.jobs.plan.RunExtensions;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.jobs.status.StudyRoster;
import io.mechsweep.training.PackSpec;
import io.mechsweep.training.PackTrainer;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.checkpoint.RunStore;
import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Fans a study's unfinished runs out as packs: one pack per Spark partition, trained by
 * {@code mapPartitions} on the task's GPU when Spark assigned one, else on CPU (threads: see
 * {@link CpuScheduling}). Finished runs are read back from their results instead. A run
 * that fails inside a pack is recorded by the trainer; a lost executor is Spark's to retry, and
 * the retried pack resumes from its checkpoints.
 */
public final class TrainingStage {
  private TrainingStage() {}

  /** Trains as {@link #run(SparkSession, StudyPlan, TaskData, RunStore, boolean, PrintStream, AfterPack)} with nothing after each pack. */
  public static List<RunOutcome> run(
      SparkSession spark, StudyPlan plan, TaskData data, RunStore store, boolean retryFailed, PrintStream out)
      throws IOException {
    return run(spark, plan, data, store, retryFailed, out, finished -> {});
  }

  /** What the driver does each time a pack has finished while others still train. */
  public interface AfterPack {
    /** @param finished the plan's runs that have a result now, with it, in plan order */
    void accept(Map<RunSpec, RunOutcome> finished) throws IOException;
  }

  /**
   * Trains the unfinished runs. After each pack that ends while others train, {@code afterPack}
   * gets every run with a result so far (the study's tables are swapped in there), on this thread
   * and in Spark's {@code tables} pool, so a slot a finished pack frees goes to that write first.
   */
  public static List<RunOutcome> run(
      SparkSession spark, StudyPlan plan, TaskData data, RunStore store, boolean retryFailed, PrintStream out,
      AfterPack afterPack) throws IOException {
    Map<String, RunOutcome> done = new HashMap<>();
    List<RunSpec> todo = new ArrayList<>();
    for (RunSpec run : plan.runs()) {
      Optional<RunOutcome> previous = store.result(run.runId());
      if (RunStore.needsTraining(previous, retryFailed)) {
        todo.add(run);
      } else {
        done.put(run.runId(), previous.get());
      }
    }
    RunExtensions.prepare(plan, todo, store, out);
    List<PackSpec> packs = PackSizing.packs(plan, todo, data, out);
    out.printf("training: %d runs (%d already done) in %d packs of up to %d%n",
        plan.runs().size(), done.size(), packs.size(), PackSizing.upTo(plan.config().training(), packs));
    writeRoster(spark, plan, packs, store);
    if (!packs.isEmpty()) {
      Map<String, Object> configs = new HashMap<>();
      todo.forEach(r -> configs.put(r.runId(), r.config()));
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<TaskData> broadcast = jsc.broadcast(data);
      // parallelize with one slice per pack puts exactly one pack in each partition.
      JavaRDD<PackSpec> rdd = jsc.parallelize(packs, packs.size());
      Dataset<PackSpec> packSet = spark.createDataset(rdd.rdd(), Encoders.javaSerialization(PackSpec.class));
      CpuScheduling scheduling = CpuScheduling.of(spark, packs.size());
      out.println(scheduling.describe(packs.size()));
      int threads = scheduling.threadsPerPack();
      PackProgress progress = new PackProgress(packs.size(), out);
      spark.sparkContext().addSparkListener(progress);
      List<RunOutcome> trained;
      try {
        trained = PackJob.collect(spark, progress, () -> packSet
            .mapPartitions(trainPacks(broadcast, store, configs, threads), Encoders.javaSerialization(RunOutcome.class))
            .collectAsList(), () -> afterPack.accept(finished(plan, store)));
      } finally {
        spark.sparkContext().removeSparkListener(progress);
      }
      trained.forEach(o -> done.put(o.runId(), o));
    }
    List<RunOutcome> ordered = new ArrayList<>();
    for (RunSpec run : plan.runs()) {
      ordered.add(done.get(run.runId()));
    }
    return ordered;
  }

  /** The plan's runs with a result under the store now. */
  private static Map<RunSpec, RunOutcome> finished(StudyPlan plan, RunStore store) throws IOException {
    Map<RunSpec, RunOutcome> out = new java.util.LinkedHashMap<>();
    for (RunSpec run : plan.runs()) {
      store.result(run.runId()).ifPresent(o -> out.put(run, o));
    }
    return out;
  }

  /** Who is who for {@code mechsweep status} while the tables do not have the runs yet. */
  private static void writeRoster(SparkSession spark, StudyPlan plan, List<PackSpec> packs, RunStore store)
      throws IOException {
    Map<String, String> packOf = new HashMap<>();
    packs.forEach(p -> p.members().forEach(m -> packOf.put(m.runId(), p.packId())));
    List<StudyRoster.Entry> entries = plan.runs().stream()
        .map(r -> new StudyRoster.Entry(r.runId(), r.name(), packOf.get(r.runId()), r.config().steps())).toList();
    new StudyRoster(plan.config().study(), plan.config().task().kind().name(), entries)
        .write(new io.mechsweep.training.checkpoint.HadoopFiles(spark.sparkContext().hadoopConfiguration()), store.root());
  }

  /** libtorch's CPU threads per training task ({@link CpuScheduling}). */
  static int cpuThreadsPerTask(SparkSession spark, int packs) {
    return CpuScheduling.of(spark, packs).threadsPerPack();
  }

  private static MapPartitionsFunction<PackSpec, RunOutcome> trainPacks(
      Broadcast<TaskData> data, RunStore store, Map<String, Object> configs, int cpuThreads) {
    return packs -> {
      Device device = startTorch(cpuThreads);
      String unusable = unusableGpu(device);
      List<RunOutcome> outcomes = new ArrayList<>();
      Iterator<PackSpec> it = packs;
      while (it.hasNext()) {
        PackSpec pack = it.next();
        outcomes.addAll(unusable != null
            ? failed(pack, device, unusable, store)
            : new PackTrainer(pack, data.value(), store, device, configs).train());
      }
      return outcomes.iterator();
    };
  }

  /**
   * Why the GPU Spark assigned cannot be used (libtorch sees fewer GPUs: a CPU-only libtorch or a
   * wrong discovery script), else null. Training it on the CPU instead would hide the mistake
   * and take hours longer, so the pack's runs fail with this reason.
   */
  static String unusableGpu(Device device) {
    if (!Device.Type.GPU.equals(device.getDeviceType())) {
      return null;
    }
    ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
    int gpus = engine.getGpuCount();
    if (device.getDeviceId() < gpus) {
      return null;
    }
    return "Spark assigned GPU " + device.getDeviceId() + " to this task, but libtorch " + engine.getVersion()
        + " sees " + gpus + " GPU" + (gpus == 1 ? "" : "s") + " (a CPU-only libtorch sees none; docs/gpu.md"
        + " says how executors get a CUDA one)";
  }

  /** Every run of the pack failed for {@code reason} before training, recorded like any failed run. */
  private static List<RunOutcome> failed(PackSpec pack, Device device, String reason, RunStore store)
      throws IOException {
    List<RunOutcome> out = new ArrayList<>();
    for (io.mechsweep.training.MemberSpec m : pack.members()) {
      RunOutcome o = new RunOutcome(m.runId(), RunOutcome.FAILED, reason, 0, Double.NaN, 0, 0, Double.NaN, device.toString(),
          pack.size(), List.of(), List.of(), null);
      store.saveResult(o);
      out.add(o);
    }
    return out;
  }

  /**
   * Starts libtorch in a Spark task and returns the task's device: the GPU Spark assigned it,
   * else the CPU with {@code cpuThreads} threads. Training and probe tasks both start here.
   */
  static Device startTorch(int cpuThreads) {
    Device device = assignedDevice();
    TorchRuntime.init(Device.Type.CPU.equals(device.getDeviceType()) ? cpuThreads : 0);
    return device;
  }

  /** The GPU Spark assigned to this task (spark.task.resource.gpu.amount), else the CPU. */
  static Device assignedDevice() {
    TaskContext ctx = TaskContext.get();
    ResourceInformation gpu = ctx == null ? null : ctx.resources().get("gpu").getOrElse(() -> null);
    if (gpu != null && gpu.addresses().length > 0) {
      return Device.gpu(Integer.parseInt(gpu.addresses()[0]));
    }
    return Device.cpu();
  }

  /**
   * The overall progress line: each time a pack's task ends, how many of the study's packs are
   * done, the time since training started and, at that pace, the time left. Only the training
   * job's tasks count ({@link PackJob#TRAINING_GROUP}): the tables are written beside it.
   */
  static final class PackProgress extends org.apache.spark.scheduler.SparkListener {
    private final int packs;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<Integer> trainingStages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** One token per pack that ended, for the driver's thread ({@link PackJob}). */
    final java.util.concurrent.BlockingQueue<Integer> ended = new java.util.concurrent.LinkedBlockingQueue<>();

    PackProgress(int packs, PrintStream out) {
      this.packs = packs;
      this.out = out;
    }

    int packs() {
      return packs;
    }

    void say(String line) {
      out.println(line);
    }

    @Override
    public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted submitted) {
      java.util.Properties p = submitted.properties();
      if (p != null && PackJob.TRAINING_GROUP.equals(p.getProperty("spark.jobGroup.id"))) {
        trainingStages.add(submitted.stageInfo().stageId());
      }
    }

    @Override
    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
      if (!trainingStages.contains(end.stageId()) || !"Success".equals(String.valueOf(end.reason()))) {
        return; // a lost task is retried by Spark and counted when it succeeds
      }
      int n = done.incrementAndGet();
      ended.add(n);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(java.util.Locale.ROOT, "training: %d of %d packs done (%s elapsed%s)%n", n, packs,
          io.mechsweep.training.PackTrainer.duration(seconds),
          n < packs ? ", about " + io.mechsweep.training.PackTrainer.duration(seconds / n * (packs - n)) + " left" : "");
    }
  }
}
