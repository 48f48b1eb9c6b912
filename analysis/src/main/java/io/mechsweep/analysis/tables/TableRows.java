package io.mechsweep.analysis.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.analysis.AnchorSolution;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Turns datasets, run configs and outcomes into rows of {@link Tables}, column for column. */
public final class TableRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TableRows() {}

  public static List<Row> datasets(DatasetMetadata m, String path) {
    List<Row> rows = new ArrayList<>();
    m.splitRows().forEach(
        (split, count) ->
            rows.add(RowFactory.create(m.datasetId(), m.task(), split, count, m.seed(),
                json(m.spec()), path, m.generationSeconds())));
    return rows;
  }

  /** {@code resolved} holds the run's settings by the column names of {@link Tables#RUNS}. */
  public static Row run(Map<String, Object> resolved, RunOutcome o) {
    return RowFactory.create(
        o.runId(),
        resolved.get("dataset_id"),
        resolved.get("task"),
        ((Number) resolved.get("depth")).intValue(),
        ((Number) resolved.get("gamma")).doubleValue(),
        ((Number) resolved.get("peak_lr")).doubleValue(),
        ((Number) resolved.get("weight_decay")).doubleValue(),
        ((Number) resolved.get("seed")).longValue(),
        ((Number) resolved.get("d_model")).intValue(),
        ((Number) resolved.get("d_ff")).intValue(),
        ((Number) resolved.get("d_k")).intValue(),
        ((Number) resolved.get("heads")).intValue(),
        resolved.get("norm"),
        ((Number) resolved.get("steps")).intValue(),
        ((Number) resolved.get("batch_size")).intValue(),
        o.status(),
        o.reason(),
        o.finalStep(),
        Double.isFinite(o.finalLoss()) ? o.finalLoss() : null,
        o.resumedFromStep(),
        o.trainSeconds(),
        o.msPerStep(),
        o.device(),
        o.packSize(),
        json(resolved));
  }

  public static List<Row> metrics(RunOutcome o) {
    List<Row> rows = new ArrayList<>(o.metrics().size());
    for (MetricRow m : o.metrics()) {
      rows.add(RowFactory.create(m.runId(), m.step(), m.lr(), m.loss(), m.gradNorm()));
    }
    return rows;
  }

  public static List<Row> evals(RunOutcome o) {
    List<Row> rows = new ArrayList<>(o.evals().size());
    for (EvalRow e : o.evals()) {
      rows.add(RowFactory.create(e.runId(), e.step(), e.evalSet(), e.metric(), e.bucket(), e.value(), e.n()));
    }
    return rows;
  }

  public static Row solution(AnchorSolution s, boolean isFinal) {
    return RowFactory.create(
        s.runId(), s.step(), s.type().label(), s.seenAccuracy(), s.inferentialAccuracy(),
        s.symmetricAccuracy(), s.fitThreshold(), s.mappingThreshold(), isFinal);
  }

  public static Row probe(ProbeRow p) {
    return RowFactory.create(
        p.runId(), p.step(), p.probe(), p.tensor(), p.layer(), p.head(), p.probeSet(), p.bucket(), p.value());
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
