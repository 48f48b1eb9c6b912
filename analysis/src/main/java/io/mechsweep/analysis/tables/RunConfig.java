package io.mechsweep.analysis.tables;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.Serializable;
import java.util.List;

/**
 * Every setting one run depends on, resolved from its study config: hashed into the run id,
 * recorded in each checkpoint and as {@code runs.config_json} (snake_case, as in the YAML), and
 * the source of the {@code runs} row's columns. Pack size and checkpoint cadence change neither a
 * run's numbers nor its tables, so they are not here.
 *
 * <p>Settings that only some tasks use are left out of the JSON at their neutral value (tying
 * off, no mimicking, no init checkpoint, the task's only data variant), so adding them kept the
 * run ids of earlier studies.
 *
 * @param gamma the initialization rate, or null when the run uses a fixed {@code initStd}
 * @param initFrom {@code run_id[@step]} whose encoder the run started from, or null
 * @param fixedHeads the LEGO attention module's fixed heads ({@code 0:association,local}), or null
 * @param dataVariant the task's training-data variant (lego: {@code shuffled}/{@code sorted}),
 *     null when the task has only one (topics: the model setting)
 * @param taskSettings the task's settings that change training but not its dataset (topics: the
 *     masking), null when it has none
 * @param earlyStoppingPatience evaluations without a lower held-out loss before the run stops; 0 = off
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunConfig(
    String task,
    String datasetId,
    int dModel,
    int dFf,
    int dK,
    int heads,
    int depth,
    String norm,
    boolean causal,
    List<Integer> mlpRemovedLayers,
    boolean outputBias,
    List<String> frozen,
    Double gamma,
    Double initStd,
    int steps,
    int batchSize,
    double beta1,
    double beta2,
    double eps,
    double weightDecay,
    double peakLr,
    String schedule,
    int warmupSteps,
    double startLr,
    double minLr,
    double clipNorm,
    long seed,
    int evalMaxRowsPerSet,
    int evalEverySteps,
    int logEverySteps,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tiedLayers,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int mimicSteps,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double mimicLr,
    @JsonInclude(JsonInclude.Include.NON_NULL) String initFrom,
    @JsonInclude(JsonInclude.Include.NON_NULL) String dataVariant,
    @JsonInclude(JsonInclude.Include.NON_NULL) String taskSettings,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int earlyStoppingPatience,
    @JsonInclude(JsonInclude.Include.NON_NULL) String fixedHeads)
    implements Serializable {}
