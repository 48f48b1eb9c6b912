package io.mechsweep.jobs.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.jobs.tasks.Tasks;
import io.mechsweep.training.checkpoint.SourceCheckpoint;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.ParameterLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses and validates a study YAML before any work starts. Every problem names its field, the
 * value found and what is allowed; unknown fields are errors so a typo cannot silently fall
 * back to a default. The task section is parsed by the task named in {@code task.name} (see
 * {@link Tasks}). The field reference is docs/config.md (ConfigReferenceTest keeps it in step).
 */
public final class StudyConfigParser {
  /** Refuses a key given twice in one mapping (YAML would otherwise keep the last silently). */
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> EVALUATION_KEYS = Set.of("every_steps", "max_rows_per_set");
  /** Most runs in one pack (training.pack_size, export-packs --pack-size). */
  public static final int MAX_PACK_SIZE = 1024;
  /** The value of {@code model.init_from} that means a random start. */
  public static final String NO_CHECKPOINT = "none";

  private StudyConfigParser() {}

  public static StudyConfig parse(Path file) throws IOException {
    return parse(file, List.of());
  }

  /** The study in {@code file} with the command line's {@code --set} overrides ({@link Overrides}). */
  public static StudyConfig parse(Path file, List<String> overrides) throws IOException {
    return SweptConfigs.expand(read(file, overrides), source(file, overrides));
  }

  /**
   * The first grid point of {@code file} carrying the sweep's axes, without expanding the others:
   * what {@code plan} counts a grid by that is too large to list.
   */
  public static StudyConfig parseFirst(Path file, List<String> overrides) throws IOException {
    return SweptConfigs.first(read(file, overrides), source(file, overrides));
  }

  public static StudyConfig parse(String yaml, String source) {
    return SweptConfigs.expand(tree(yaml, source, List.of()), source);
  }

  /** The config tree of {@code file} with the overrides written in, not yet validated. */
  static ObjectNode read(Path file, List<String> overrides) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file.toString(), List.of("file not found"));
    }
    return tree(Files.readString(file), source(file, overrides), overrides);
  }

  static String source(Path file, List<String> overrides) {
    return file + (overrides.isEmpty() ? "" : " with --set " + String.join(" --set ", overrides));
  }

  private static ObjectNode tree(String yaml, String source, List<String> overrides) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new ConfigException(source, List.of("not valid YAML" + where + ": "
          + e.getOriginalMessage().lines().findFirst().orElse("")));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, List.of("(top level): expected a mapping with study, task, model, training, seeds"));
    }
    ObjectNode tree = (ObjectNode) root;
    List<String> problems = Overrides.apply(tree, overrides, YAML);
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return tree;
  }

  /** One grid point's config: every field holds a single value, or a list where the field is a list axis. */
  static StudyConfig plain(JsonNode root, String source) {
    Fields f = new Fields();
    f.onlyKeys(root, "", Set.of("study", "task", "model", "training", "seeds", "evaluation", "probes", "checkpoints",
        "logging", "sweep"));
    String study = f.string(root, "study", null);
    if (study == null) {
      f.problems().add("study: missing; allowed: a name of letters, digits, '-' or '_'");
    } else if (!study.matches(Tables.STUDY_NAME)) {
      f.problem("study", study, "1–64 letters, digits, '-' or '_' (it names a table partition)");
    }

    JsonNode taskNode = f.section(root, "task");
    JsonNode evaluation = root.get("evaluation");
    Optional<TaskKind> kind = Optional.empty();
    Task task = null;
    if (taskNode != null) {
      String taskName = f.string(taskNode, "task.name", null);
      kind = Tasks.byName(taskName == null ? "" : taskName);
      if (kind.isEmpty()) {
        f.problem("task.name", taskName, "one of the known tasks " + Tasks.known());
      } else {
        task = kind.get().parse(taskNode, evaluation, f);
      }
    }

    StudyConfig.Model m = model(root, kind, f);
    StudyConfig.Training t = training(root, f);

    List<Long> seeds = f.integers(root, "seeds", null, 0, Long.MAX_VALUE);
    if (seeds.size() != seeds.stream().distinct().count()) {
      f.problem("seeds", seeds, "distinct integers (a repeated seed would train the same run twice)");
    }

    Set<String> evaluationKeys = new HashSet<>(EVALUATION_KEYS);
    kind.ifPresent(k -> evaluationKeys.addAll(k.evaluationKeys()));
    f.onlyKeys(evaluation, "evaluation", evaluationKeys);
    int steps = Math.max(1, t.steps());
    StudyConfig.Evaluation e =
        new StudyConfig.Evaluation(
            f.intIn(evaluation, "evaluation.every_steps", Math.max(1, steps / 10), 1, steps),
            f.intIn(evaluation, "evaluation.max_rows_per_set", 5_000, 1, 10_000_000));
    JsonNode probes = root.get("probes");
    f.onlyKeys(probes, "probes", Set.of("rows_per_set"));
    StudyConfig.Probes p = new StudyConfig.Probes(f.intIn(probes, "probes.rows_per_set", 512, 2, 100_000));
    JsonNode checkpoints = root.get("checkpoints");
    f.onlyKeys(checkpoints, "checkpoints", Set.of("every_steps"));
    JsonNode logging = root.get("logging");
    f.onlyKeys(logging, "logging", Set.of("every_steps"));
    int checkpointEvery = f.intIn(checkpoints, "checkpoints.every_steps", 0, 0, steps);
    int logEvery = f.intIn(logging, "logging.every_steps", 10, 1, steps);

    if (task != null && root.get("training") != null) {
      task.checkTraining(t.batchSize()).forEach(problem -> f.problems().add(problem));
    }
    if (task != null && m != null) {
      task.checkModel(m).forEach(problem -> f.problems().add(problem));
      frozenNamesExist(task, m, f);
    }
    if (task != null && t.patience() > 0 && !task.recordsHeldOutLoss()) {
      f.problem("training.early_stopping.patience", t.patience(),
          "0 for task " + task.kind().name() + " (early stopping watches a held-out cross-entropy it does not record)");
    }
    if (m != null) {
      distinct(f, "model.tied_layers", m.tiedLayers());
      distinct(f, "model.init_from", m.initFrom());
    }
    distinct(f, "training.mimic.steps", t.mimic().steps());
    if (m != null && t.mimic().steps().stream().anyMatch(n -> n > 0) && m.heads() < 2) {
      f.problem("training.mimic.steps", t.mimic().steps(), "0 unless model.heads ≥ 2 (mimicking trains heads 0 and 1)");
    }
    if (!f.problems().isEmpty()) {
      throw new ConfigException(source, new ArrayList<>(f.problems()));
    }
    return new StudyConfig(study, task, m, t, seeds, e, p, checkpointEvery, logEvery, Sweep.NONE, List.of());
  }

  /** The model family; wiring fields default to the task's paper model. */
  private static StudyConfig.Model model(JsonNode root, Optional<TaskKind> kind, Fields f) {
    JsonNode model = f.section(root, "model");
    f.onlyKeys(model, "model", Set.of("d_model", "d_ff", "d_k", "heads", "depth", "gamma", "init_std", "norm",
        "causal", "mlp_removed_layers", "output_bias", "frozen", "tied_layers", "init_from", "fixed_heads"));
    TaskKind.Wiring wiring = kind.map(TaskKind::wiring)
        .orElse(new TaskKind.Wiring(NormPlacement.POST, true, Set.of(), true));
    int dModel = f.intIn(model, "model.d_model", null, 1, 65_536);
    List<Integer> depths = f.integers(model, "model.depth", null, 1, 64).stream().map(Long::intValue).toList();
    List<InitScheme> inits = inits(model, kind, dModel, f);
    Set<Integer> removed = f.integerSet(model, "model.mlp_removed_layers", wiring.mlpRemovedLayers(), 0, 63);
    for (int layer : removed) {
      if (depths.stream().anyMatch(d -> layer >= d)) {
        f.problem("model.mlp_removed_layers", new TreeSet<>(removed), "layer indices below every depth " + depths
            + " (0 is the first block)");
        break;
      }
    }
    List<Boolean> tied = f.booleans(model, "model.tied_layers", List.of(false));
    if (tied.contains(true) && !removed.isEmpty()) {
      f.problem("model.mlp_removed_layers", new TreeSet<>(removed),
          "[] when model.tied_layers is true (one block serves every layer)");
    }
    int heads = f.intIn(model, "model.heads", 1, 1, 256);
    return new StudyConfig.Model(
        dModel,
        f.intIn(model, "model.d_ff", null, 1, 262_144),
        f.intIn(model, "model.d_k", null, 1, 65_536),
        heads,
        depths,
        inits,
        f.choice(model, "model.norm", NormPlacement.class, wiring.norm()),
        f.bool(model, "model.causal", wiring.causal()),
        removed,
        f.bool(model, "model.output_bias", wiring.outputBias()),
        new LinkedHashSet<>(f.strings(model, "model.frozen", List.of())),
        tied,
        initFrom(model, f),
        FixedHeadsField.parse(model, f, depths, heads, tied));
  }

  /** A grid axis must not repeat a value: the repeated runs would have the same id. */
  private static void distinct(Fields f, String path, List<?> values) {
    if (values.size() != values.stream().distinct().count()) {
      f.problem(path, values, "distinct values (a repeated value would train the same runs twice)");
    }
  }

  /** {@code model.init_from}: checkpoints as {@code run_id[@step][:blocks]}, {@code none} for a random start. */
  private static List<String> initFrom(JsonNode model, Fields f) {
    List<String> out = new ArrayList<>();
    for (String text : f.strings(model, "model.init_from", List.of(NO_CHECKPOINT))) {
      if (text.equals(NO_CHECKPOINT)) {
        out.add(null);
      } else if (RunReference.parse(text) != null) {
        out.add(text.trim()); // a run by study and name, resolved against the root before planning
      } else if (SourceCheckpoint.parse(text) == null) {
        f.problem("model.init_from", text,
            "'none' or a run id with an optional step, e.g. 3f2a9c01b7de or 3f2a9c01b7de@2000, or a run by study and"
                + " name, e.g. wikipedia-quickstart/seed=1@2000, and ':blocks' after it to copy only the blocks"
                + " (a source with another vocabulary)");
      } else {
        out.add(SourceCheckpoint.parse(text).toString());
      }
    }
    return out.isEmpty() ? java.util.Collections.singletonList(null) : out;
  }

  /** {@code model.gamma} (a grid axis) or {@code model.init_std}, else the task's default. */
  private static List<InitScheme> inits(JsonNode model, Optional<TaskKind> kind, int dModel, Fields f) {
    boolean hasGamma = model != null && model.hasNonNull("gamma");
    boolean hasStd = model != null && model.hasNonNull("init_std");
    if (hasGamma && hasStd) {
      f.problem("model.init_std", model.get("init_std"), "either model.gamma or model.init_std, not both");
      return List.of();
    }
    if (hasStd) {
      return List.of(new InitScheme.FixedStd(f.number(model, "model.init_std", null, 0, 10, true)));
    }
    Optional<InitScheme> fallback = kind.flatMap(k -> k.defaultInit(dModel));
    if (!hasGamma && fallback.isPresent()) {
      return List.of(fallback.get());
    }
    return f.numbers(model, "model.gamma", null, 0.0, 3.0, false).stream()
        .<InitScheme>map(InitScheme.Gamma::new)
        .toList();
  }

  private static StudyConfig.Training training(JsonNode root, Fields f) {
    JsonNode training = f.section(root, "training");
    f.onlyKeys(training, "training", Set.of("steps", "batch_size", "adamw", "schedule", "peak_lr", "clip_norm", "pack_size",
        "gpu_memory_gib", "mimic", "early_stopping"));
    JsonNode stopping = training == null ? null : training.get("early_stopping");
    f.onlyKeys(stopping, "training.early_stopping", Set.of("patience"));
    JsonNode mimic = training == null ? null : training.get("mimic");
    f.onlyKeys(mimic, "training.mimic", Set.of("steps", "lr"));
    JsonNode adamw = training == null ? null : training.get("adamw");
    f.onlyKeys(adamw, "training.adamw", Set.of("beta1", "beta2", "eps", "weight_decay"));
    JsonNode schedule = training == null ? null : training.get("schedule");
    f.onlyKeys(schedule, "training.schedule", Set.of("kind", "warmup_steps", "start_lr", "min_lr"));
    int steps = f.intIn(training, "training.steps", null, 1, 100_000_000);
    double gpuMemoryGib = f.number(training, "training.gpu_memory_gib", 0.0, 0, 100_000, true);
    StudyConfig.Schedule kind = f.choice(schedule, "training.schedule.kind", StudyConfig.Schedule.class,
        StudyConfig.Schedule.WARMUP_COSINE);
    if (kind == StudyConfig.Schedule.CONSTANT && schedule != null) {
      for (String key : List.of("warmup_steps", "start_lr", "min_lr")) {
        if (schedule.has(key)) {
          f.problem("training.schedule." + key, schedule.get(key), "nothing with schedule kind constant");
        }
      }
    }
    return new StudyConfig.Training(
        steps,
        f.intIn(training, "training.batch_size", null, 1, 1_000_000),
        f.number(adamw, "training.adamw.beta1", 0.9, 0, 1, false),
        f.number(adamw, "training.adamw.beta2", 0.999, 0, 1, false),
        f.number(adamw, "training.adamw.eps", 1e-8, 0, 1, true),
        f.numbers(adamw, "training.adamw.weight_decay", List.of(0.01), 0, 10, false),
        f.numbers(training, "training.peak_lr", null, 0, 10, true),
        kind,
        f.intIn(schedule, "training.schedule.warmup_steps", 0, 0, Math.max(0, steps)),
        f.number(schedule, "training.schedule.start_lr", 1e-5, 0, 10, false),
        f.number(schedule, "training.schedule.min_lr", 1e-5, 0, 10, false),
        f.number(training, "training.clip_norm", 1.0, 0, 1e9, false),
        // Sized by memory, a pack holds as many runs as fit, at most pack_size when that is given.
        f.intIn(training, "training.pack_size", gpuMemoryGib > 0 ? MAX_PACK_SIZE : 1, 1, MAX_PACK_SIZE),
        gpuMemoryGib,
        new StudyConfig.Mimic(
            f.integers(mimic, "training.mimic.steps", List.of(0L), 0, 10_000_000).stream().map(Long::intValue).toList(),
            f.number(mimic, "training.mimic.lr", 1e-3, 0, 10, true)),
        f.intIn(stopping, "training.early_stopping.patience", 0, 0, 1_000_000));
  }

  /** Frozen names must be parameters of every model of the grid. */
  private static void frozenNamesExist(Task task, StudyConfig.Model m, Fields f) {
    for (int depth : m.depths()) {
      for (boolean tied : m.tiedLayers()) {
        var probe = new io.mechsweep.training.model.ModelConfig(task.vocabSize(), task.classes(), task.seqLen(),
            Math.max(1, m.dModel()), Math.max(1, m.dFf()), Math.max(1, m.dK()), Math.max(1, m.heads()), depth,
            m.norm(), m.causal(), m.mlpRemovedLayers(), m.outputBias(), m.frozen(),
            tied && m.mlpRemovedLayers().isEmpty());
        Set<String> unknown = probe.unknownFrozen();
        if (!unknown.isEmpty()) {
          f.problem("model.frozen", unknown, "names of the model's parameters, e.g. "
              + ParameterLayout.names(probe));
          return;
        }
      }
    }
  }
}
