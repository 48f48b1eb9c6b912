package io.mechsweep.jobs.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.config.Fields;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.NormPlacement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of study mechsweep knows (anchor, varassign, …), registered in {@link Tasks}: parses
 * its config section into a {@link Task}, and names what it adds to the shared catalog and
 * report — its tables, its SQL views, its report sections.
 */
public interface TaskKind {
  /** The value of {@code task.name}. */
  String name();

  /**
   * Parses and validates the {@code task} section; every problem goes to {@code fields} with its
   * field name. Returns null when the section is invalid.
   *
   * @param evaluation the {@code evaluation} section (may be null), for keys of {@link #evaluationKeys}
   */
  Task parse(JsonNode task, JsonNode evaluation, Fields fields);

  /** Keys of the {@code evaluation} section this task reads besides the shared ones. */
  default Set<String> evaluationKeys() {
    return Set.of();
  }

  /** The model wiring of the study's paper; each field can be overridden in {@code model:}. */
  record Wiring(NormPlacement norm, boolean causal, Set<Integer> mlpRemovedLayers, boolean outputBias) {}

  Wiring wiring();

  /** The initialization when the config gives neither {@code model.gamma} nor {@code model.init_std}. */
  default Optional<InitScheme> defaultInit(int dModel) {
    return Optional.empty();
  }

  /** Tables only this task writes (the shared ones are in {@link Tables#SHARED}). */
  default List<Tables.Table> tables() {
    return List.of();
  }

  /** Its SQL views (resources under analysis' {@code views/}), registered for every study. */
  List<String> views();

  TaskReport report();

  /** Subcommands of its own (picocli {@code @Command} objects), added to {@code mechsweep}'s. */
  default List<Object> commands() {
    return List.of();
  }
}
