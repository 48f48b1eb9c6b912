package io.mechsweep.datagen.lego;

import java.io.Serializable;
import java.util.List;

/**
 * Which chain lengths fresh training chains are drawn from at each step: stages that start at
 * given steps, the first at step 0. One stage is a fixed length mixture.
 */
public record LegoCurriculum(List<Stage> stages) implements Serializable {

  /** From step {@code fromStep} on (until the next stage), lengths are drawn uniformly from {@code lengths}. */
  public record Stage(int fromStep, List<Integer> lengths) implements Serializable {
    public Stage {
      lengths = List.copyOf(lengths);
      if (fromStep < 0 || lengths.isEmpty()) {
        throw new IllegalArgumentException("a curriculum stage starts at a step ≥ 0 and has lengths: " + fromStep
            + " " + lengths);
      }
    }
  }

  public LegoCurriculum {
    stages = List.copyOf(stages);
    if (stages.isEmpty() || stages.get(0).fromStep() != 0) {
      throw new IllegalArgumentException("a curriculum's first stage starts at step 0: " + stages);
    }
    for (int i = 1; i < stages.size(); i++) {
      if (stages.get(i).fromStep() <= stages.get(i - 1).fromStep()) {
        throw new IllegalArgumentException("curriculum stages must start at increasing steps: " + stages);
      }
    }
  }

  /** One stage for the whole run: the spec's training lengths. */
  public static LegoCurriculum constant(List<Integer> lengths) {
    return new LegoCurriculum(List.of(new Stage(0, lengths)));
  }

  public List<Integer> lengthsAt(int step) {
    List<Integer> lengths = stages.get(0).lengths();
    for (Stage s : stages) {
      if (s.fromStep() <= step) {
        lengths = s.lengths();
      }
    }
    return lengths;
  }

  /** Every length some stage draws, shortest first. */
  public List<Integer> allLengths() {
    return stages.stream().flatMap(s -> s.lengths().stream()).distinct().sorted().toList();
  }

  public int longest() {
    List<Integer> all = allLengths();
    return all.get(all.size() - 1);
  }

  /** {@code [2, 3]} or {@code [2, 3] from step 0, [2, 3, 4, 5, 6] from step 2000}: also hashed into run ids. */
  public String describe() {
    if (stages.size() == 1) {
      return stages.get(0).lengths().toString();
    }
    return String.join(", ", stages.stream().map(s -> s.lengths() + " from step " + s.fromStep()).toList());
  }
}
