package io.mechsweep.jobs.stages;

import ai.djl.ndarray.NDManager;
import io.mechsweep.analysis.probes.CheckpointProber;
import io.mechsweep.analysis.probes.CheckpointRef;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.tables.TableRows;
import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.plan.RunSpec;
import io.mechsweep.jobs.plan.StudyPlan;
import io.mechsweep.training.checkpoint.RunStore;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Probes every checkpoint of a study's runs that the {@code probes} table does not hold yet:
 * the checkpoints are spread over Spark partitions, each task loads one model at a time, and
 * the executors write their rows, which replace the study's partition together with the rows
 * it keeps (one atomic swap, see {@link TableStore#replace}). Re-running probes only new
 * checkpoints, so it adds no duplicate rows, and writes nothing when nothing is new. A
 * checkpoint that cannot be read (corrupt, truncated) or probed is reported with its reason and
 * left unprobed, so the next run retries it, and its earlier rows stay; the others are written.
 * Rows of runs the {@code runs} table does not hold (orphans of an older version) are dropped.
 */
public final class ProbeStage {
  private ProbeStage() {}

  /** @param msPerCheckpoint mean time a task spent on one checkpoint (load + all probes) */
  public record Result(int probed, int alreadyProbed, List<String> failures, long rows, double seconds, double msPerCheckpoint) {}

  /** @param reprobe probe every checkpoint again (the probes or their settings changed) */
  public static Result run(
      SparkSession spark, StudyPlan plan, TaskProbes probes, RunStore store, TableStore tables, boolean reprobe,
      PrintStream out) throws IOException {
    String study = plan.config().study();
    Dataset<Row> existing = tables.readStudy(Tables.PROBES, study);
    Set<String> done = new HashSet<>();
    if (!reprobe) {
      for (Row r : existing.select("run_id", "step").distinct().collectAsList()) {
        done.add(r.getString(0) + "@" + r.getInt(1));
      }
    }
    List<CheckpointRef> todo = new ArrayList<>();
    int already = 0;
    for (RunSpec run : plan.runs()) {
      for (int step : store.completedSteps(run.runId())) {
        if (done.contains(run.runId() + "@" + step)) {
          already++;
        } else {
          todo.add(new CheckpointRef(run.runId(), step, StudyPlan.modelConfig(run)));
        }
      }
    }
    Dataset<Row> runIds = tables.readStudy(Tables.RUNS, study).select("run_id");
    Dataset<Row> kept = existing.join(runIds, "run_id", "left_semi");
    long orphans = existing.join(runIds, "run_id", "left_anti").count();
    if (orphans > 0) {
      out.printf("probes: dropping %d rows of runs the runs table does not hold%n", orphans);
    }
    if (todo.isEmpty()) {
      if (orphans > 0) {
        tables.replace(Tables.PROBES, study, kept.coalesce(1));
      } else {
        tables.ensureRegistered(Tables.PROBES); // nothing to write: no empty file, only the catalog entry
      }
      out.printf("probes: nothing new to probe (%d checkpoints already in the table)%n", already);
      return new Result(0, already, List.of(), 0, 0, 0);
    }
    long start = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Accumulators updated inside a write count a retried task twice: they feed the printed line
    // and the result, never the table.
    LongAccumulator taskNanos = jsc.sc().longAccumulator("probe nanos");
    LongAccumulator rowCount = jsc.sc().longAccumulator("probe rows");
    CollectionAccumulator<Failure> failures = jsc.sc().collectionAccumulator("probe failures");
    int partitions = Math.max(1, Math.min(todo.size(), spark.sparkContext().defaultParallelism()));
    int threads = TrainingStage.cpuThreadsPerTask(spark, partitions);
    Broadcast<TaskProbes> broadcast = jsc.broadcast(probes);
    Dataset<Row> fresh =
        spark
            .createDataset(jsc.parallelize(todo, partitions).rdd(), Encoders.javaSerialization(CheckpointRef.class))
            .mapPartitions(probeCheckpoints(broadcast, store, threads, taskNanos, rowCount, failures),
                Encoders.row(Tables.PROBES.schema()))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      fresh.count(); // probes once: which checkpoints failed decides which earlier rows stay
      Set<String> failedKeys = new HashSet<>();
      failures.value().forEach(f -> failedKeys.add(f.key()));
      List<String> replaced = todo.stream().map(r -> r.runId() + "@" + r.step())
          .filter(k -> !failedKeys.contains(k)).toList();
      Dataset<Row> keep = kept.where(org.apache.spark.sql.functions.not(
          org.apache.spark.sql.functions.concat_ws("@", kept.col("run_id"), kept.col("step").cast("string"))
              .isin(replaced.toArray())));
      tables.replace(Tables.PROBES, study, keep.unionByName(fresh));
    } finally {
      fresh.unpersist();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> failed = failures.value().stream().map(Failure::message).distinct().toList();
    int probed = todo.size() - failed.size();
    double ms = probed == 0 ? 0 : taskNanos.value() / 1e6 / todo.size();
    out.printf("probes: %d checkpoints probed (%d already in the table) in %.1f s, %.0f ms per checkpoint"
        + " in a task (%d task(s), %d thread(s) each); %d rows%n",
        probed, already, seconds, ms, partitions, threads, rowCount.value());
    failed.forEach(f -> out.println("probes: skipped " + f + (reprobe ? " (its earlier rows stay)" : "")));
    return new Result(probed, already, failed, rowCount.value(), seconds, ms);
  }

  /** A checkpoint that could not be probed: its {@code run_id@step} and what went wrong. */
  record Failure(String key, String message) implements java.io.Serializable {}

  private static MapPartitionsFunction<CheckpointRef, Row> probeCheckpoints(
      Broadcast<TaskProbes> probes, RunStore store, int cpuThreads, LongAccumulator nanos,
      LongAccumulator rowCount, CollectionAccumulator<Failure> failures) {
    return refs -> {
      NDManager manager = NDManager.newBaseManager(TrainingStage.startTorch(cpuThreads));
      return new CheckpointRows(refs, ref -> {
        long t0 = System.nanoTime();
        try {
          List<Row> rows = new ArrayList<>();
          for (ProbeRow p : CheckpointProber.probe(store, ref, probes.value(), manager)) {
            rows.add(TableRows.probe(p));
          }
          rowCount.add(rows.size());
          return rows;
        } catch (IOException | RuntimeException e) { // one bad checkpoint must not stop the others
          failures.add(new Failure(ref.runId() + "@" + ref.step(), "run " + ref.runId() + " step " + ref.step() + ": " + e));
          return Collections.<Row>emptyList();
        } finally {
          nanos.add(System.nanoTime() - t0);
        }
      }, manager);
    };
  }

  /** Probes lazily, one checkpoint at a time, so a task holds one model and its rows at once. */
  private static final class CheckpointRows implements Iterator<Row> {
    interface Probe {
      List<Row> rows(CheckpointRef ref);
    }

    private final Iterator<CheckpointRef> refs;
    private final Probe probe;
    private final NDManager manager;
    private Iterator<Row> current = Collections.emptyIterator();
    private boolean closed;

    CheckpointRows(Iterator<CheckpointRef> refs, Probe probe, NDManager manager) {
      this.refs = refs;
      this.probe = probe;
      this.manager = manager;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && refs.hasNext()) {
        current = probe.rows(refs.next()).iterator();
      }
      if (!current.hasNext() && !closed) { // the last checkpoint is done: free the task's tensors
        manager.close();
        closed = true;
      }
      return current.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
