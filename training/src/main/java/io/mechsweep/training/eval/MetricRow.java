package io.mechsweep.training.eval;

import java.io.Serializable;

/** One point of a run's training curve. {@code step} counts updates done, loss is that step's. */
public record MetricRow(String runId, int step, double lr, double loss, double gradNorm)
    implements Serializable {}
