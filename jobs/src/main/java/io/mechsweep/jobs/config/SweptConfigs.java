package io.mechsweep.jobs.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A config tree with a {@code sweep:} block expanded into one plain config per grid point, each
 * read by the parser with single values ({@link StudyConfigParser#plain}); the first point's
 * config carries the others ({@link StudyConfig#gridPoints}). A point's problems are prefixed
 * with the point.
 */
final class SweptConfigs {
  private SweptConfigs() {}

  static StudyConfig expand(ObjectNode tree, String source) {
    Sweep sweep = sweep(tree, source);
    if (sweep.isEmpty()) {
      return StudyConfigParser.plain(tree, source);
    }
    long count = sweep.pointCount();
    if (count > Sweep.MAX_POINTS) {
      throw new ConfigException(source, List.of("sweep: " + count + " grid points; at most " + Sweep.MAX_POINTS
          + " in one study (`mechsweep plan` counts a larger grid; split it into studies)"));
    }
    List<Sweep.Point> grid = sweep.points();
    List<StudyConfig> points = new ArrayList<>();
    for (Sweep.Point point : grid) {
      points.add(point(tree, point, source));
    }
    StudyConfig first = points.get(0);
    for (int i = 1; i < points.size(); i++) {
      if (!points.get(i).task().datasetId().equals(first.task().datasetId())) {
        throw new ConfigException(source, List.of("sweep: the points " + grid.get(0).label() + " and "
            + grid.get(i).label() + " give different datasets; allowed: axes on task fields"
            + " that keep the dataset (a study has one dataset: run one study per dataset)"));
      }
      // Every run of a study trains on the data its task loads once, so a task field that only
      // changes how runs train (lego's train_source, topics' masking) cannot vary between points.
      if (!points.get(i).task().equals(first.task())) {
        throw new ConfigException(source, List.of("sweep: the points " + grid.get(0).label() + " and "
            + grid.get(i).label() + " give different task settings; allowed: axes outside task (a study trains"
            + " every run on one task's data: run one study per task setting)"));
      }
    }
    return first.withGrid(sweep, points);
  }

  /** The first point alone (axes, counts and one config), for a grid too large to list. */
  static StudyConfig first(ObjectNode tree, String source) {
    Sweep sweep = sweep(tree, source);
    if (sweep.isEmpty()) {
      return StudyConfigParser.plain(tree, source);
    }
    StudyConfig first = point(tree, sweep.points(1).get(0), source);
    return first.withGrid(sweep, List.of(first));
  }

  private static Sweep sweep(ObjectNode tree, String source) {
    Fields f = new Fields();
    Sweep sweep = Sweep.read(tree.get("sweep"), f);
    if (!f.problems().isEmpty()) {
      throw new ConfigException(source, f.problems());
    }
    return sweep;
  }

  private static StudyConfig point(ObjectNode tree, Sweep.Point point, String source) {
    try {
      return StudyConfigParser.plain(Sweep.apply(tree, point), source);
    } catch (ConfigException e) {
      throw new ConfigException(source, e.problems().stream().map(p -> "[" + point.label() + "] " + p).toList());
    }
  }
}
