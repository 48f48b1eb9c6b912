package io.mechsweep.jobs.stages;

import io.mechsweep.training.eval.RunOutcome;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the training job on its own driver thread, so that this thread can write the tables each
 * time a pack ends while others still train: SQL and notebooks see finished runs during a long
 * study, not only at its end. The table writes go to Spark's {@code tables} pool; with fair
 * scheduling ({@link SparkSessions}) a slot a finished pack frees serves them before the next pack.
 */
final class PackJob {
  /** The training job's group: its stages are the ones {@link TrainingStage.PackProgress} counts. */
  static final String TRAINING_GROUP = "mechsweep-training";
  private static final String POOL = "spark.scheduler.pool";

  /** What runs after a pack ended. */
  interface Step {
    void run() throws IOException;
  }

  private PackJob() {}

  static List<RunOutcome> collect(SparkSession spark, TrainingStage.PackProgress progress,
      Callable<List<RunOutcome>> job, Step afterPack) throws IOException {
    SparkContext sc = spark.sparkContext();
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mechsweep-training");
      t.setDaemon(true);
      return t;
    });
    Future<List<RunOutcome>> training = thread.submit(() -> {
      sc.setJobGroup(TRAINING_GROUP, "train the study's packs", false);
      return job.call();
    });
    try {
      while (true) {
        Integer ended = progress.ended.poll(200, TimeUnit.MILLISECONDS);
        if (training.isDone()) {
          return training.get();
        }
        if (ended != null && ended < progress.packs()) {
          progress.ended.clear(); // packs that ended meanwhile are in this write too
          writeBeside(sc, afterPack, progress);
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while packs trained", e);
    } finally {
      thread.shutdownNow();
    }
  }

  /** The write after a pack; a failure is said and left for the write at the end of training. */
  private static void writeBeside(SparkContext sc, Step afterPack, TrainingStage.PackProgress progress) {
    sc.setLocalProperty(POOL, "tables");
    try {
      afterPack.run();
    } catch (IOException | RuntimeException e) {
      progress.say("tables: the finished packs' rows could not be written now (" + e
          + "); they are written when training ends");
    } finally {
      sc.setLocalProperty(POOL, null);
    }
  }
}
