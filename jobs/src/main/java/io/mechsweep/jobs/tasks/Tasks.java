package io.mechsweep.jobs.tasks;

import io.mechsweep.analysis.tables.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one registry of tasks: a new study adds its {@link TaskKind} here and nowhere else. */
public final class Tasks {
  public static final List<TaskKind> ALL =
      List.of(new AnchorTask.Kind(), new VarAssignTask.Kind(), new LegoTask.Kind(), new TopicsTask.Kind(),
          new WikipediaTask.Kind());

  private Tasks() {}

  public static Optional<TaskKind> byName(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(TaskKind::name).toList();
  }

  /**
   * Every task's views, in registration order, each once (topics and Wikipedia share theirs):
   * one catalog serves the studies of all tasks.
   */
  public static List<String> views() {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    ALL.forEach(k -> out.addAll(k.views()));
    return List.copyOf(out);
  }

  /** Every table of the catalog: the shared ones, then each task's own. */
  public static List<Tables.Table> tables() {
    List<Tables.Table> out = new ArrayList<>(Tables.SHARED);
    ALL.forEach(k -> out.addAll(k.tables()));
    return out;
  }
}
