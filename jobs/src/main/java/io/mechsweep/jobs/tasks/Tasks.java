package io.mechsweep.jobs.tasks;

import io.mechsweep.analysis.tables.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The tasks this build knows: every {@link TaskKind} listed in
 * {@code META-INF/services/io.mechsweep.jobs.tasks.TaskKind}, in that file's order (views and
 * tables are registered in it). A new study adds its files and one line there.
 */
public final class Tasks {
  public static final List<TaskKind> ALL = ServiceLoader.load(TaskKind.class, Tasks.class.getClassLoader()).stream()
      .map(ServiceLoader.Provider::get)
      .toList();

  private Tasks() {}

  public static Optional<TaskKind> byName(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(TaskKind::name).toList();
  }

  /**
   * The known tasks for an error message, e.g. "[anchor, varassign]"; with none, why: a jar whose
   * build did not merge the service files has no list at all.
   */
  public static String known() {
    return ALL.isEmpty() ? "[] (none: this build's class path has no META-INF/services/" + TaskKind.class.getName()
        + "; a jar must merge its modules' service files)" : names().toString();
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
