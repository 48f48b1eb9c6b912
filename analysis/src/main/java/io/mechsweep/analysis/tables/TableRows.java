package io.mechsweep.analysis.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import io.mechsweep.training.eval.RunOutcome;
import java.util.ArrayList;
import java.util.List;
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

  public static Row run(String runId, String runName, RunConfig c, RunOutcome o) {
    return RowFactory.create(
        runId, c.datasetId(), c.task(), c.depth(), c.gamma(), c.initStd(), c.peakLr(), c.weightDecay(),
        c.seed(), c.dModel(), c.dFf(), c.dK(), c.heads(), c.norm(), c.steps(), c.batchSize(),
        o.status(), o.reason(), o.finalStep(), Double.isFinite(o.finalLoss()) ? o.finalLoss() : null,
        o.resumedFromStep(), o.trainSeconds(), o.msPerStep(), o.device(), o.packSize(), json(c), true,
        o.extendedFrom(), runName);
  }

  /** The run's {@link Tables#RUN_PARAMS} rows: each field of its config as the config's JSON writes it. */
  public static List<Row> params(String runId, RunConfig c) {
    List<Row> rows = new ArrayList<>();
    JSON.<com.fasterxml.jackson.databind.JsonNode>valueToTree(c).fields().forEachRemaining(e -> rows.add(RowFactory.create(runId, e.getKey(),
        e.getValue().isNull() ? null : e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
    return rows;
  }

  public static List<Row> metrics(RunOutcome o) {
    List<Row> rows = new ArrayList<>(o.metrics().size());
    for (MetricRow m : o.metrics()) {
      rows.add(RowFactory.create(m.runId(), m.step(), m.lr(), m.loss(), m.gradNorm(), m.stage()));
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
