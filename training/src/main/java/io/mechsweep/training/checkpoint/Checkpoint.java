package io.mechsweep.training.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import java.util.List;
import java.util.Map;

/**
 * The metadata of one member's checkpoint ({@code state.json}). The tensors sit beside it in
 * {@code params.npz} and {@code optimizer.npz}; their SHA-256 is recorded here so a truncated
 * or altered file is refused instead of resumed from.
 *
 * @param optimizerSteps AdamW's update count (its bias-correction exponent)
 * @param metrics the training curve up to this step, so a resumed run's tables are complete
 * @param extendedFrom {@code run_id@step}: the shorter run this one continues (its checkpoints up
 *     to that step were copied from it), null for a run trained from step 0
 */
public record Checkpoint(
    String runId,
    int step,
    int optimizerSteps,
    Map<String, String> sha256,
    List<MetricRow> metrics,
    List<EvalRow> evals,
    Map<String, Object> config,
    @JsonInclude(JsonInclude.Include.NON_NULL) String extendedFrom) {}
