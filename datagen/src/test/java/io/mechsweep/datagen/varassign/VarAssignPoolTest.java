package io.mechsweep.datagen.varassign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.EvalSet;
import io.mechsweep.datagen.TaskData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VarAssignPoolTest {
  private static final VarAssignSpec PAPER = VarAssignSpec.paper(42);
  private static VarAssignDataset dataset;
  private static VarAssignDataset.Pools pools;
  private static VarAssignPartition partition;

  @BeforeAll
  static void generate() {
    dataset = new VarAssignDataset(PAPER);
    pools = dataset.generateInMemory();
    partition = dataset.generator().partition();
  }

  @Test
  void labelsTypesAndSizesAtThePapersSettings() {
    assertThat(Arrays.stream(VarAssignPool.values()).map(VarAssignPool::label))
        .containsExactly("train_0var", "train_1var_left", "train_1var_right", "train_2var",
            "unseen_0var", "unseen_1var", "restricted_1var", "unseen_2var",
            "one_restricted_2var", "both_restricted_2var");
    assertThat(pools.byPool().keySet()).containsExactly(
        Arrays.stream(VarAssignPool.values()).map(VarAssignPool::label).toArray(String[]::new));
    assertThat(VarAssignPool.TRAIN_1VAR_RIGHT.type()).isEqualTo(2);
    assertThat(VarAssignPool.BOTH_RESTRICTED_2VAR.type()).isEqualTo(3);
    assertThat(VarAssignPool.UNSEEN_1VAR.type()).isEqualTo(VarAssignPool.MIXED_ONE_VARIABLE);
    assertThat(VarAssignPool.UNSEEN_1VAR.types()).containsExactly(1, 2);
    assertThat(VarAssignPool.ofLabel("one_restricted_2var"))
        .isEqualTo(VarAssignPool.ONE_RESTRICTED_2VAR);
    long offset = 0;
    for (VarAssignPool pool : VarAssignPool.values()) {
      boolean isTrainPool = pool.name().startsWith("TRAIN_");
      assertThat(pool.heldOut()).as(pool.label()).isEqualTo(!isTrainPool);
      long expected = pool == VarAssignPool.UNSEEN_0VAR ? 1045 : 2000;
      assertThat(pool.size(PAPER)).as(pool.label()).isEqualTo(expected);
      assertThat(pool.exhaustive(PAPER)).as(pool.label())
          .isEqualTo(pool == VarAssignPool.UNSEEN_0VAR);
      List<VarAssignExample> rows = pools.pool(pool);
      assertThat(rows).as(pool.label()).hasSize((int) expected);
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i).row()).isEqualTo(offset + i);
        assertThat(rows.get(i).pool()).isEqualTo(pool.label());
      }
      offset += expected;
    }
    assertThat(dataset.rowCount()).isEqualTo(offset).isEqualTo(9 * 2000 + 1045);
    assertThatThrownBy(() -> dataset.generator().poolExample(VarAssignPool.UNSEEN_0VAR, 1045))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void trainingDistributionPoolsLieInsideTraining() {
    checkPool(VarAssignPool.TRAIN_0VAR, true, Set.of(0), r -> true);
    checkPool(VarAssignPool.TRAIN_1VAR_LEFT, true, Set.of(1), r -> true);
    checkPool(VarAssignPool.TRAIN_1VAR_RIGHT, true, Set.of(2), r -> true);
    checkPool(VarAssignPool.TRAIN_2VAR, true, Set.of(3), r -> true);
    assertThat(leftVars(VarAssignPool.TRAIN_1VAR_LEFT))
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(rightVars(VarAssignPool.TRAIN_1VAR_RIGHT))
        .containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  }

  @Test
  void unseenPairPoolsUseOnlyHeldOutPairsWithTrainedSlots() {
    checkPool(VarAssignPool.UNSEEN_0VAR, false, Set.of(0),
        r -> !partition.isTrainPair(r.n1(), r.n2()));
    checkPool(VarAssignPool.UNSEEN_1VAR, false, Set.of(1, 2),
        r -> !partition.isTrainPair(r.n1(), r.n2()) && slotsTrained(r));
    checkPool(VarAssignPool.UNSEEN_2VAR, false, Set.of(3),
        r -> !partition.isTrainPair(r.n1(), r.n2()) && slotsTrained(r));
    // Exhaustive: every held-out pair exactly once, in ascending order.
    List<VarAssignExample> zero = pools.pool(VarAssignPool.UNSEEN_0VAR);
    int[] codes = zero.stream().mapToInt(e -> e.n1() * 59 + e.n2()).toArray();
    assertThat(codes).isEqualTo(partition.heldOutPairCodes());
    assertThat(VarAssignChecks.distinctPairCodes(zero)).hasSize(1045);
  }

  @Test
  void restrictedSlotPoolsUseTrainingPairsWithTheSlotsTrainingNeverUses() {
    checkPool(VarAssignPool.RESTRICTED_1VAR, false, Set.of(1, 2),
        r -> partition.isTrainPair(r.n1(), r.n2())
            && (r.type() == 1 ? VarAssignChecks.NEVER_LEFT.contains(r.leftVar())
                : VarAssignChecks.NEVER_RIGHT.contains(r.rightVar())));
    assertThat(slotSet(VarAssignPool.RESTRICTED_1VAR))
        .containsExactlyInAnyOrder("k.", "l.", ".a", ".b");
    checkPool(VarAssignPool.ONE_RESTRICTED_2VAR, false, Set.of(3),
        r -> partition.isTrainPair(r.n1(), r.n2())
            && VarAssignChecks.NEVER_LEFT.contains(r.leftVar())
                != VarAssignChecks.NEVER_RIGHT.contains(r.rightVar()));
    assertThat(slotSet(VarAssignPool.ONE_RESTRICTED_2VAR)).hasSize(36);
    checkPool(VarAssignPool.BOTH_RESTRICTED_2VAR, false, Set.of(3),
        r -> partition.isTrainPair(r.n1(), r.n2())
            && VarAssignChecks.NEVER_LEFT.contains(r.leftVar())
            && VarAssignChecks.NEVER_RIGHT.contains(r.rightVar()));
    assertThat(slotSet(VarAssignPool.BOTH_RESTRICTED_2VAR))
        .containsExactlyInAnyOrder("ka", "kb", "la", "lb");
  }

  @Test
  void poolsWithFewCombinationsAreEnumeratedCompletely() {
    // 10,000 per pool: restricted_1var (2,436 pairs × 4 slots = 9,744) and
    // both_restricted_2var (9,744) become exhaustive, unseen_1var (1,045 × 20) does not.
    VarAssignSpec spec = new VarAssignSpec(3, 0.7, 10_000);
    VarAssignGenerator g = new VarAssignGenerator(spec);
    assertThat(VarAssignPool.UNSEEN_1VAR.exhaustive(spec)).isFalse();
    assertThat(VarAssignPool.UNSEEN_1VAR.size(spec)).isEqualTo(10_000);
    for (VarAssignPool pool :
        List.of(VarAssignPool.RESTRICTED_1VAR, VarAssignPool.BOTH_RESTRICTED_2VAR)) {
      assertThat(pool.exhaustive(spec)).isTrue();
      assertThat(pool.size(spec)).isEqualTo(9744);
      Set<String> combos = new HashSet<>();
      for (long i = 0; i < 9744; i++) {
        VarAssignExample e = g.poolExample(pool, i);
        VarAssignChecks.Resolved r = VarAssignChecks.checkLayout(e);
        assertThat(g.partition().isTrainPair(r.n1(), r.n2())).isTrue();
        combos.add(r.n1() + "," + r.n2() + "," + r.type() + "," + r.leftVar() + "," + r.rightVar());
      }
      assertThat(combos).as(pool.label()).hasSize(9744);
    }
  }

  @Test
  void heldOutPoolsAreNeverTrainableAndTrainPoolsAlways() {
    for (VarAssignPool pool : VarAssignPool.values()) {
      for (VarAssignExample e : pools.pool(pool)) {
        boolean trainable = VarAssignChecks.trainable(partition, VarAssignChecks.checkLayout(e));
        assertThat(trainable).as("%s in %s", e, pool.label()).isEqualTo(!pool.heldOut());
      }
    }
  }

  @Test
  void taskDataHasOneCappedEvalSetPerPool() {
    TaskData data = pools.taskData(500);
    assertThat(data.task()).isEqualTo("varassign");
    assertThat(data.datasetId()).isEqualTo(dataset.datasetId()).hasSize(12);
    assertThat(data.vocabSize()).isEqualTo(74);
    assertThat(data.classes()).isEqualTo(59);
    assertThat(data.seqLen()).isEqualTo(16);
    assertThat(data.train()).isEqualTo(new VarAssignTrainSource(PAPER));
    assertThat(data.evalSets()).extracting(EvalSet::name)
        .containsExactlyElementsOf(pools.byPool().keySet());
    for (EvalSet set : data.evalSets()) {
      assertThat(set.table().rows()).isEqualTo(500);
      assertThat(set.groupNames()).containsExactly("all");
      assertThat(set.groupOfRow()).containsOnly(0);
      assertThat(set.alternativeTargets()).isEmpty();
      assertThat(set.recordDeviation()).isFalse();
      List<VarAssignExample> rows = pools.byPool().get(set.name());
      // Spread evenly: row i of the set is row floor(i·n/500) of the pool.
      VarAssignExample last = rows.get(499 * rows.size() / 500);
      assertThat(Arrays.copyOfRange(set.table().tokens(), 499 * 16, 500 * 16))
          .isEqualTo(last.tokens());
      assertThat(set.table().targets()[499]).isEqualTo(last.label());
    }
    Map<String, List<VarAssignExample>> probes = pools.probeSequences(100);
    assertThat(probes.keySet()).containsExactlyElementsOf(pools.byPool().keySet());
    assertThat(probes.values()).allSatisfy(l -> assertThat(l).hasSize(100));
    assertThat(pools.probeSequences(5000).get("unseen_0var")).hasSize(1045);
    assertThat(new VarAssignDataset(PAPER).generateInMemory()).isEqualTo(pools);
  }

  private void checkPool(
      VarAssignPool pool, boolean trainPairs, Set<Integer> types,
      java.util.function.Predicate<VarAssignChecks.Resolved> heldOutAsNamed) {
    Set<Integer> typesSeen = new HashSet<>();
    for (VarAssignExample e : pools.pool(pool)) {
      VarAssignChecks.Resolved r = VarAssignChecks.checkLayout(e);
      assertThat(types).as("type of %s in %s", e, pool.label()).contains(r.type());
      typesSeen.add(r.type());
      if (trainPairs) {
        assertThat(partition.isTrainPair(r.n1(), r.n2())).as("%s in %s", e, pool.label()).isTrue();
        assertThat(slotsTrained(r)).as("%s in %s", e, pool.label()).isTrue();
      }
      assertThat(heldOutAsNamed.test(r)).as("%s in %s", e, pool.label()).isTrue();
    }
    assertThat(typesSeen).as(pool.label()).isEqualTo(types);
  }

  private static boolean slotsTrained(VarAssignChecks.Resolved r) {
    boolean ok = !VarAssignChecks.NEVER_LEFT.contains(r.leftVar())
        && !VarAssignChecks.NEVER_RIGHT.contains(r.rightVar());
    if (r.type() == 3) {
      ok &= partition.allowedVariablePairs().stream()
          .anyMatch(p -> p[0] == r.leftVar() && p[1] == r.rightVar());
    }
    return ok;
  }

  private static Set<Integer> leftVars(VarAssignPool pool) {
    Set<Integer> out = new HashSet<>();
    pools.pool(pool).forEach(e -> out.add(e.leftVar()));
    return out;
  }

  private static Set<Integer> rightVars(VarAssignPool pool) {
    Set<Integer> out = new HashSet<>();
    pools.pool(pool).forEach(e -> out.add(e.rightVar()));
    return out;
  }

  /** Operand slots as "xy": x the left variable's name or '.', y the right one's. */
  private static Set<String> slotSet(VarAssignPool pool) {
    Set<String> out = new HashSet<>();
    for (VarAssignExample e : pools.pool(pool)) {
      out.add((e.leftVar() < 0 ? "." : String.valueOf((char) ('a' + e.leftVar())))
          + (e.rightVar() < 0 ? "." : String.valueOf((char) ('a' + e.rightVar()))));
    }
    return out;
  }
}
