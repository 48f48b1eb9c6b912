package io.mechsweep.jobs.tasks.lego;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.datagen.lego.LegoCurriculum;
import io.mechsweep.datagen.lego.LegoRules;
import io.mechsweep.datagen.lego.LegoSpec;
import io.mechsweep.jobs.config.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The chain-length protocol of a lego study, read from {@code task:}: the lengths training rows
 * mix ({@code train_chain_lengths}), the further lengths tested ({@code test_chain_lengths}),
 * whether training chains are a fixed set or drawn fresh every step ({@code train_source}), and
 * the curriculum of fresh chains ({@code curriculum}).
 *
 * @param trainLengths null: every training chain is {@code chain_length} long
 * @param testLengths further test lengths, null when none
 * @param fresh null for the fixed training set; else the lengths fresh chains are drawn from per step
 */
record LegoLengthsConfig(List<Integer> trainLengths, List<Integer> testLengths, LegoCurriculum fresh) {

  static final Set<String> KEYS = Set.of("train_chain_lengths", "test_chain_lengths", "train_source", "curriculum");

  /** The training source's names in the config. */
  enum Source { FIXED, FRESH }

  static LegoLengthsConfig parse(JsonNode task, Fields f, int chainLength) {
    List<Integer> train = lengths(task, "task.train_chain_lengths", f);
    List<Integer> test = lengths(task, "task.test_chain_lengths", f);
    if (test != null) {
      if (test.contains(chainLength)) {
        f.problem("task.test_chain_lengths", test, "lengths other than task.chain_length (" + chainLength
            + "), which is always tested");
        test = null;
      } else {
        int longestTrain = LegoSpec.longestTraining(train, chainLength);
        if (test.get(0) <= longestTrain) {
          f.problem("task.test_chain_lengths", test, "lengths longer than every training chain (" + longestTrain + ")");
          test = null;
        }
      }
    }
    Source source = f.choice(task, "task.train_source", Source.class, Source.FIXED);
    LegoCurriculum curriculum = curriculum(task, f);
    if (curriculum != null && source != Source.FRESH) {
      f.problem("task.curriculum", "a curriculum", "only with task.train_source: fresh (a fixed set has its lengths)");
      curriculum = null;
    }
    if (curriculum != null && train != null) {
      f.problem("task.train_chain_lengths", train, "nothing beside task.curriculum, whose stages give the lengths");
    }
    if (curriculum != null) {
      train = curriculum.allLengths();
    }
    LegoCurriculum fresh = source != Source.FRESH ? null
        : curriculum != null ? curriculum : LegoCurriculum.constant(train == null ? List.of(chainLength) : train);
    return new LegoLengthsConfig(train, test, fresh);
  }

  /** What changes how runs train but not the dataset, hashed into run ids; null for the fixed set. */
  String runSettings() {
    return fresh == null ? null : "train_source=fresh lengths=" + fresh.describe();
  }

  private static List<Integer> lengths(JsonNode task, String path, Fields f) {
    if (task == null || !task.has(path.substring(path.lastIndexOf('.') + 1))) {
      return null;
    }
    List<Long> values = f.integers(task, path, null, 2, LegoRules.MAX_CHAIN_LENGTH);
    if (values == null || values.isEmpty()) {
      return null; // Fields has named the problem
    }
    List<Integer> out = values.stream().map(Long::intValue).toList();
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i) <= out.get(i - 1)) {
        f.problem(path, out, "increasing chain lengths, e.g. [2, 3, 4, 5, 6]");
        return null;
      }
    }
    return out;
  }

  private static LegoCurriculum curriculum(JsonNode task, Fields f) {
    JsonNode n = task == null ? null : task.get("curriculum");
    if (n == null) {
      return null;
    }
    String allowed = "a list of stages {from_step, chain_lengths}, the first from step 0, the steps increasing";
    if (!n.isArray() || n.isEmpty()) {
      f.problem("task.curriculum", n, allowed);
      return null;
    }
    List<LegoCurriculum.Stage> stages = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String path = "task.curriculum[" + i + "]";
      JsonNode stage = n.get(i);
      if (!stage.isObject()) {
        f.problem(path, stage, allowed);
        return null;
      }
      f.onlyKeys(stage, path, Set.of("from_step", "chain_lengths"));
      int from = f.intIn(stage, path + ".from_step", null, 0, Integer.MAX_VALUE);
      List<Integer> lengths = lengths(stage, path + ".chain_lengths", f);
      if (lengths == null) {
        f.problem(path + ".chain_lengths", "missing", "increasing chain lengths");
        return null;
      }
      stages.add(new LegoCurriculum.Stage(from, lengths));
    }
    for (int i = 0; i < stages.size(); i++) {
      if (i == 0 ? stages.get(0).fromStep() != 0 : stages.get(i).fromStep() <= stages.get(i - 1).fromStep()) {
        f.problem("task.curriculum[" + i + "].from_step", stages.get(i).fromStep(), allowed);
        return null;
      }
    }
    return new LegoCurriculum(stages);
  }
}
