package io.mechsweep.analysis.probes;

import io.mechsweep.training.model.ModelConfig;
import java.io.Serializable;

/** One checkpoint to probe: a run's step and the shapes its parameters were trained with. */
public record CheckpointRef(String runId, int step, ModelConfig model) implements Serializable {}
