package io.mechsweep.datagen.lego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LegoGeneratorTest {
  private static final LegoSpec PAPER = new LegoSpec(3, 12, 6, 2000, 500);

  /** Evaluates a sequence the way a reader would: follow each clause's operand to the root. */
  private static Map<Integer, Integer> solve(int[] tokens) {
    Map<Integer, int[]> clauses = new HashMap<>(); // lhs name -> (op, operand)
    for (int at = 1; at + 4 < tokens.length; at += LegoRules.CLAUSE_TOKENS) {
      assertThat(tokens[at + 1]).isEqualTo(LegoRules.EQUALS);
      assertThat(tokens[at + 4]).isEqualTo(LegoRules.COMMA);
      assertThat(clauses.put(tokens[at], new int[] {tokens[at + 2], tokens[at + 3]})).isNull();
    }
    Map<Integer, Integer> values = new HashMap<>();
    for (int name : clauses.keySet()) {
      values.put(name, valueOf(name, clauses));
    }
    return values;
  }

  private static int valueOf(int name, Map<Integer, int[]> clauses) {
    int[] c = clauses.get(name);
    int operand = c[1] == LegoRules.ZERO ? 0 : c[1] == LegoRules.ONE ? 1 : valueOf(c[1], clauses);
    return c[0] == LegoRules.NOT ? 1 - operand : operand;
  }

  @Test
  void everyChainIsConsistentAndItsLabelsAreTheChainsEvaluationInBothOrders() {
    LegoGenerator g = new LegoGenerator(PAPER);
    for (int i = 0; i < 500; i++) {
      LegoChain c = g.chain(LegoGenerator.TRAIN, i);
      for (LegoOrder order : LegoOrder.values()) {
        int[] tokens = c.tokens(order);
        assertThat(tokens).hasSize(62);
        assertThat(tokens[0]).isEqualTo(LegoRules.CLS);
        assertThat(tokens[61]).isEqualTo(LegoRules.SEP);
        Map<Integer, Integer> solved = solve(tokens);
        int[] at = c.readPositions(order);
        int[] values = c.values();
        for (int k = 0; k < 12; k++) {
          assertThat(tokens[at[k]]).as("chain variable %d is read at its own name", k).isEqualTo(c.names()[k]);
          assertThat(solved.get(c.names()[k])).isEqualTo(values[k]);
        }
        // Chain order: variable 0's operand is a bit, variable k's operand is variable k-1.
        assertThat(tokens[at[0] + 3]).isIn(LegoRules.ZERO, LegoRules.ONE);
        for (int k = 1; k < 12; k++) {
          assertThat(tokens[at[k] + 3]).isEqualTo(c.names()[k - 1]);
        }
      }
    }
  }

  @Test
  void namesAreAFreshPermutationPerSequenceAndClauseOrderIsReallyShuffledOrSorted() {
    LegoGenerator g = new LegoGenerator(PAPER);
    Set<String> nameLists = new HashSet<>();
    int[] firstSlotCounts = new int[12];
    int sortedShuffles = 0;
    for (int i = 0; i < 2000; i++) {
      LegoChain c = g.chain(LegoGenerator.TRAIN, i);
      assertThat(Arrays.stream(c.names()).distinct().count()).isEqualTo(12);
      assertThat(Arrays.stream(c.names()).allMatch(n -> n >= 0 && n < 26)).isTrue();
      nameLists.add(Arrays.toString(c.names()));
      int[] slots = c.slots(LegoOrder.SHUFFLED);
      assertThat(Arrays.stream(slots).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
      firstSlotCounts[slots[0]]++;
      sortedShuffles += Arrays.equals(slots, c.slots(LegoOrder.SORTED)) ? 1 : 0;
      assertThat(c.readPositions(LegoOrder.SORTED)).containsExactly(1, 6, 11, 16, 21, 26, 31, 36, 41, 46, 51, 56);
    }
    assertThat(nameLists).hasSize(2000);
    assertThat(sortedShuffles).isZero(); // 2000 draws of 12! orders: a sorted one would be a bug
    // Each chain variable opens the sequence about 1/12 of the time (2000/12 ≈ 167; 5σ ≈ 62).
    assertThat(Arrays.stream(firstSlotCounts).allMatch(n -> Math.abs(n - 2000 / 12.0) < 62)).as(Arrays.toString(firstSlotCounts)).isTrue();
  }

  @Test
  void rowsArePureInSeedSplitAndIndex() {
    LegoGenerator g = new LegoGenerator(PAPER);
    LegoChain a = g.chain(LegoGenerator.TEST, 17);
    assertThat(new LegoGenerator(PAPER).chain(LegoGenerator.TEST, 17).tokens(LegoOrder.SHUFFLED))
        .containsExactly(a.tokens(LegoOrder.SHUFFLED));
    assertThat(g.chain(LegoGenerator.TRAIN, 17).tokens(LegoOrder.SHUFFLED)).isNotEqualTo(a.tokens(LegoOrder.SHUFFLED));
    assertThat(new LegoGenerator(new LegoSpec(4, 12, 6, 2000, 500)).chain(LegoGenerator.TEST, 17)
        .tokens(LegoOrder.SHUFFLED)).isNotEqualTo(a.tokens(LegoOrder.SHUFFLED));
    assertThat(g.datasetRow(2000 + 17).tokens(LegoOrder.SHUFFLED)).containsExactly(a.tokens(LegoOrder.SHUFFLED));
  }

  @Test
  void taskDataReadsEveryChainPositionAndSupervisesThePrefix() {
    LegoDataset.Chains chains = new LegoDataset(new LegoSpec(5, 6, 3, 300, 40)).generateInMemory();
    TaskData data = chains.taskData(30);
    assertThat(data.seqLen()).isEqualTo(32);
    assertThat(data.evalSets()).extracting(e -> e.name()).containsExactly("test_shuffled", "test_sorted");
    TokenTable shuffled = data.evalSets().get(0).table();
    TokenTable sorted = data.evalSets().get(1).table();
    assertThat(shuffled.rows()).isEqualTo(30);
    assertThat(shuffled.reads()).isEqualTo(6);
    assertThat(shuffled.targets()).containsExactly(sorted.targets()); // same chains, same labels
    assertThat(shuffled.tokens()).isNotEqualTo(sorted.tokens());
    assertThat(Arrays.copyOf(shuffled.lossMask(), 6)).containsExactly(1f, 1f, 1f, 0f, 0f, 0f);
    TokenTable batch = data.train().variant("sorted").stream(9, 16).batch(0);
    assertThat(Arrays.copyOf(batch.readPositions(), 6)).containsExactly(1, 6, 11, 16, 21, 26);
    TokenTable same = data.train().variant("shuffled").stream(9, 16).batch(0);
    assertThat(same.targets()).containsExactly(batch.targets()); // one epoch order for both variants
    assertThatThrownBy(() -> data.train().variant("reversed"))
        .hasMessageContaining("[shuffled, sorted], not 'reversed'");
    List<LegoChain> probe = chains.probeChains(5);
    assertThat(probe).hasSize(5);
  }

  @Test
  void specRejectsWhatCannotBeGenerated() {
    assertThatThrownBy(() -> new LegoSpec(0, 27, 6, 10, 10)).hasMessageContaining("chainLength must be in 2..26");
    assertThatThrownBy(() -> new LegoSpec(0, 6, 7, 10, 10)).hasMessageContaining("supervised must be in 1..6 (the longest training chain)");
  }
}
