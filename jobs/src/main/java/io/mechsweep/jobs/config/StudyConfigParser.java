package io.mechsweep.jobs.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.datagen.anchor.AnchorSpec;
import io.mechsweep.training.model.NormPlacement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates a study YAML before any work starts. Every problem names its field, the
 * value found and what is allowed; unknown fields are errors so a typo cannot silently fall
 * back to a default. The field reference lives in README.md ("Study config").
 */
public final class StudyConfigParser {
  static final Set<String> TASKS = Set.of("anchor");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private StudyConfigParser() {}

  public static StudyConfig parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file.toString(), List.of("file not found"));
    }
    return parse(Files.readString(file), file.toString());
  }

  public static StudyConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, List.of("not valid YAML: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, List.of("(top level): expected a mapping with study, task, model, training, seeds"));
    }
    Fields f = new Fields();
    f.onlyKeys(root, "", Set.of("study", "task", "model", "training", "seeds", "evaluation", "probes", "checkpoints", "logging"));
    String study = f.string(root, "study", null);
    if (study == null) {
      f.problems().add("study: missing; allowed: a name of letters, digits, '-' or '_'");
    } else if (!study.matches(Tables.STUDY_NAME)) {
      f.problem("study", study, "1–64 letters, digits, '-' or '_' (it names a table partition)");
    }

    JsonNode task = f.section(root, "task");
    String taskName = f.string(task, "task.name", null);
    AnchorSpec anchor = null;
    if (task != null) {
      if (taskName == null || !TASKS.contains(taskName)) {
        f.problem("task.name", taskName, "one of " + TASKS);
      } else {
        anchor = anchorSpec(task, f);
      }
    }

    JsonNode model = f.section(root, "model");
    f.onlyKeys(model, "model", Set.of("d_model", "d_ff", "d_k", "heads", "depth", "gamma", "norm"));
    StudyConfig.Model m =
        new StudyConfig.Model(
            f.intIn(model, "model.d_model", null, 1, 65_536),
            f.intIn(model, "model.d_ff", null, 1, 262_144),
            f.intIn(model, "model.d_k", null, 1, 65_536),
            f.intIn(model, "model.heads", 1, 1, 256),
            f.integers(model, "model.depth", null, 1, 64).stream().map(Long::intValue).toList(),
            f.numbers(model, "model.gamma", null, 0.0, 3.0, false),
            f.choice(model, "model.norm", NormPlacement.class, NormPlacement.POST));

    JsonNode training = f.section(root, "training");
    f.onlyKeys(training, "training", Set.of("steps", "batch_size", "adamw", "schedule", "peak_lr", "clip_norm", "pack_size"));
    JsonNode adamw = training == null ? null : training.get("adamw");
    f.onlyKeys(adamw, "training.adamw", Set.of("beta1", "beta2", "eps", "weight_decay"));
    JsonNode schedule = training == null ? null : training.get("schedule");
    f.onlyKeys(schedule, "training.schedule", Set.of("warmup_steps", "start_lr", "min_lr"));
    int steps = f.intIn(training, "training.steps", null, 1, 100_000_000);
    StudyConfig.Training t =
        new StudyConfig.Training(
            steps,
            f.intIn(training, "training.batch_size", null, 1, 1_000_000),
            f.number(adamw, "training.adamw.beta1", 0.9, 0, 1, false),
            f.number(adamw, "training.adamw.beta2", 0.999, 0, 1, false),
            f.number(adamw, "training.adamw.eps", 1e-8, 0, 1, true),
            f.numbers(adamw, "training.adamw.weight_decay", List.of(0.01), 0, 10, false),
            f.numbers(training, "training.peak_lr", null, 0, 10, true),
            f.intIn(schedule, "training.schedule.warmup_steps", 0, 0, steps),
            f.number(schedule, "training.schedule.start_lr", 1e-5, 0, 10, false),
            f.number(schedule, "training.schedule.min_lr", 1e-5, 0, 10, false),
            f.number(training, "training.clip_norm", 1.0, 0, 1e9, false),
            f.intIn(training, "training.pack_size", 1, 1, 1024));

    List<Long> seeds = f.integers(root, "seeds", null, 0, Long.MAX_VALUE);
    if (seeds.size() != seeds.stream().distinct().count()) {
      f.problem("seeds", seeds, "distinct integers (a repeated seed would train the same run twice)");
    }

    JsonNode evaluation = root.get("evaluation");
    f.onlyKeys(evaluation, "evaluation", Set.of("every_steps", "max_rows_per_set", "fit_threshold", "mapping_threshold"));
    StudyConfig.Evaluation e =
        new StudyConfig.Evaluation(
            f.intIn(evaluation, "evaluation.every_steps", Math.max(1, steps / 10), 1, Math.max(1, steps)),
            f.intIn(evaluation, "evaluation.max_rows_per_set", 5_000, 1, 10_000_000),
            f.number(evaluation, "evaluation.fit_threshold", 0.9, 0, 1, false),
            f.number(evaluation, "evaluation.mapping_threshold", 0.5, 0, 1, false));
    JsonNode probes = root.get("probes");
    f.onlyKeys(probes, "probes", Set.of("rows_per_set"));
    StudyConfig.Probes p = new StudyConfig.Probes(f.intIn(probes, "probes.rows_per_set", 512, 2, 100_000));
    JsonNode checkpoints = root.get("checkpoints");
    f.onlyKeys(checkpoints, "checkpoints", Set.of("every_steps"));
    JsonNode logging = root.get("logging");
    f.onlyKeys(logging, "logging", Set.of("every_steps"));
    int checkpointEvery = f.intIn(checkpoints, "checkpoints.every_steps", 0, 0, Math.max(1, steps));
    int logEvery = f.intIn(logging, "logging.every_steps", 10, 1, Math.max(1, steps));

    if (anchor != null && training != null && t.batchSize() > trainRows(anchor)) {
      f.problem("training.batch_size", t.batchSize(),
          "at most the " + trainRows(anchor) + " training sequences the task section generates");
    }
    if (!f.problems().isEmpty()) {
      throw new ConfigException(source, new ArrayList<>(f.problems()));
    }
    return new StudyConfig(study, taskName, anchor, m, t, seeds, e, p, checkpointEvery, logEvery);
  }

  private static AnchorSpec anchorSpec(JsonNode task, Fields f) {
    f.onlyKeys(task, "task", Set.of("name", "seed", "train_keys_per_pair", "heldout_keys_per_pair", "key_modulus", "hold_out_swapped_pair"));
    long seed = f.longValue(task, "task.seed", 0L);
    int train = f.intIn(task, "task.train_keys_per_pair", AnchorSpec.PAPER_TRAIN_KEYS_PER_PAIR, 1, 10_000_000);
    int heldOut = f.intIn(task, "task.heldout_keys_per_pair", AnchorSpec.PAPER_HELD_OUT_KEYS_PER_PAIR, 1, 10_000_000);
    int modulus = f.intIn(task, "task.key_modulus", AnchorSpec.PUBLIC_CODE_KEY_MODULUS, 7, 80);
    boolean both = f.bool(task, "task.hold_out_swapped_pair", false);
    return new AnchorSpec(seed, train, heldOut, modulus, both);
  }

  private static long trainRows(AnchorSpec spec) {
    return (long) spec.trainKeysPerPair() * (16 - spec.unseenPairs().size());
  }
}
