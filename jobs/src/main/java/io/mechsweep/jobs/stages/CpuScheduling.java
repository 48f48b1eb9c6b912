package io.mechsweep.jobs.stages;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * How a study's packs share the CPU when no GPU is assigned, by a rule rather than a calibration:
 * on a cluster each pack gets {@code spark.task.cpus} threads; in local mode as many packs run at
 * once as there are cores (or packs), and they share the cores equally, so a lone pack gets them
 * all. By the 2-core figures in BENCHMARKS.md (a 1-thread pack's time per run-step, halved for two
 * at once: an estimate that assumes they do not slow each other), two 1-thread packs of one run
 * match an 8-run pack on 2 threads for anchor and beat it for varassign, lego and topics.
 * libtorch's thread count is process-wide, so one value serves every pack of the process.
 *
 * @param threadsPerPack libtorch's CPU threads in each training task
 * @param packsAtOnce the packs training at the same time here (local mode), or 0 when the cluster decides
 */
public record CpuScheduling(int threadsPerPack, int packsAtOnce, String rule) {

  static CpuScheduling of(SparkSession spark, int packs) {
    org.apache.spark.SparkConf conf = spark.sparkContext().getConf();
    if (conf.contains("spark.task.cpus")) {
      return new CpuScheduling(conf.getInt("spark.task.cpus", 1), 0, "spark.task.cpus");
    }
    if (spark.sparkContext().isLocal()) {
      return local(spark.sparkContext().defaultParallelism(), packs);
    }
    return new CpuScheduling(1, 0, "one thread per task on a cluster without spark.task.cpus");
  }

  /** Local mode on {@code cores} cores: min(cores, packs) packs at once, the cores shared among them. */
  public static CpuScheduling local(int cores, int packs) {
    int atOnce = Math.max(1, Math.min(cores, packs));
    return new CpuScheduling(Math.max(1, cores / atOnce), atOnce,
        "local mode: the " + cores + " cores shared among the packs that run at once");
  }

  /** The line training prints before it starts. */
  String describe(int packs) {
    return String.format(Locale.ROOT, "training: %d pack%s, %s, %d CPU thread%s each when no GPU is assigned (%s)",
        packs, packs == 1 ? "" : "s", packsAtOnce == 0 ? "as the cluster schedules them" : packsAtOnce + " at once",
        threadsPerPack, threadsPerPack == 1 ? "" : "s", rule);
  }
}
