package io.mechsweep.datagen.varassign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VarAssignGeneratorTest {
  private static final VarAssignSpec PAPER = VarAssignSpec.paper(42);

  @Test
  void partitionHasTheSpecifiedSizesAndVariableRules() {
    VarAssignPartition p = VarAssignPartition.of(PAPER);
    List<int[]> train = p.trainPairs();
    assertThat(train).hasSize(2436);
    assertThat(p.heldOutPairs()).hasSize(1045);
    Set<Integer> codes = new HashSet<>();
    for (int[] pair : train) {
      assertThat(p.isTrainPair(pair[0], pair[1])).isTrue();
      codes.add(pair[0] * 59 + pair[1]);
    }
    assertThat(codes).hasSize(2436);
    int trainCount = 0;
    for (int n1 = 0; n1 < 59; n1++) {
      for (int n2 = 0; n2 < 59; n2++) {
        trainCount += p.isTrainPair(n1, n2) ? 1 : 0;
      }
    }
    assertThat(trainCount).isEqualTo(2436);
    for (int[] pair : p.heldOutPairs()) {
      assertThat(p.isTrainPair(pair[0], pair[1])).isFalse();
    }

    for (int v = 0; v < 12; v++) {
      assertThat(p.leftAllowed(v)).as("left %d", v).isEqualTo(v != 10 && v != 11);
      assertThat(p.rightAllowed(v)).as("right %d", v).isEqualTo(v != 0 && v != 1);
    }
    assertThatThrownBy(() -> p.leftAllowed(12)).isInstanceOf(IllegalArgumentException.class);

    List<int[]> allowed = p.allowedVariablePairs();
    assertThat(allowed).hasSize(92);
    Set<Integer> distinct = new HashSet<>();
    for (int[] vp : allowed) {
      assertThat(vp[0]).isBetween(0, 9); // a..j
      assertThat(vp[1]).isBetween(2, 11); // c..l
      assertThat(vp[0]).isNotEqualTo(vp[1]);
      distinct.add(vp[0] * 12 + vp[1]);
    }
    assertThat(distinct).hasSize(92);
    assertThat(VarAssignPartition.variablePairs(1)).hasDimensions(36, 2);
    assertThat(VarAssignPartition.variablePairs(2))
        .isDeepEqualTo(new int[][] {{10, 0}, {10, 1}, {11, 0}, {11, 1}});
  }

  @Test
  void describeRecordsTheTrainedPairsCompactly() {
    VarAssignPartition p = VarAssignPartition.of(PAPER);
    var d = p.describe();
    assertThat(d).containsEntry("trainPairCount", 2436).containsEntry("heldOutPairCount", 1045)
        .containsEntry("allowedVariablePairCount", 92)
        .containsEntry("notLeftOperand", List.of("k", "l"))
        .containsEntry("notRightOperand", List.of("a", "b"));
    @SuppressWarnings("unchecked")
    List<Integer> codes = (List<Integer>) d.get("trainPairCodes");
    assertThat(codes).hasSize(2436).isSorted();
    for (int c : codes) {
      assertThat(p.isTrainPair(c / 59, c % 59)).isTrue();
    }
  }

  @Test
  void trainingRowsKeepEveryHeldOutPartOut() {
    VarAssignGenerator g = new VarAssignGenerator(PAPER);
    VarAssignPartition p = g.partition();
    int rows = 100_000;
    long start = System.nanoTime();
    int[] types = new int[4];
    int[][] assignmentsByType = new int[4][7];
    Set<Integer> pairsSeen = new HashSet<>();
    Set<Integer> leftVarsSeen = new HashSet<>();
    Set<Integer> rightVarsSeen = new HashSet<>();
    Set<Integer> varPairsSeen = new HashSet<>();
    Set<Integer> allowedVarPairs = new HashSet<>();
    for (int[] vp : p.allowedVariablePairs()) {
      allowedVarPairs.add(vp[0] * 12 + vp[1]);
    }
    // For single-assignment rows the variable's position is 0..10 = PADs in the first gap:
    // Binomial(10, 1/2) when each PAD picks its gap independently (mean 5, variance 2.5).
    double posSum = 0;
    double posSq = 0;
    int singles = 0;
    // PADs in gap g (before assignment g; g = n after the last) of n-assignment rows: each PAD
    // picks a gap uniformly, so every gap holds (12 − 2n)/(n + 1) PADs on average.
    double[][] gapSums = new double[7][7];
    for (long i = 0; i < rows; i++) {
      VarAssignExample e = g.trainExample(7, i);
      assertThat(e.row()).isEqualTo(i);
      assertThat(e.pool()).isEqualTo("train");
      VarAssignChecks.Resolved r = VarAssignChecks.checkLayout(e);
      assertThat(p.isTrainPair(r.n1(), r.n2())).as("held-out pair in training: %s", e).isTrue();
      assertThat(VarAssignChecks.NEVER_LEFT).as("restricted left slot: %s", e)
          .doesNotContain(r.leftVar());
      assertThat(VarAssignChecks.NEVER_RIGHT).as("restricted right slot: %s", e)
          .doesNotContain(r.rightVar());
      if (r.type() == 3) {
        assertThat(allowedVarPairs).as("2-var pair of %s", e)
            .contains(r.leftVar() * 12 + r.rightVar());
        varPairsSeen.add(r.leftVar() * 12 + r.rightVar());
      }
      if (r.type() == 1) {
        leftVarsSeen.add(r.leftVar());
      }
      if (r.type() == 2) {
        rightVarsSeen.add(r.rightVar());
      }
      types[r.type()]++;
      assignmentsByType[r.type()][r.assignments()]++;
      pairsSeen.add(r.n1() * 59 + r.n2());
      int gap = 0;
      int gapIndex = 0;
      for (int pos = 0; pos < 12; pos++) {
        if (e.tokens()[pos] == 61) {
          gap++;
        } else if (e.tokens()[pos] >= 62) {
          gapSums[r.assignments()][gapIndex++] += gap;
          gap = 0;
        }
      }
      gapSums[r.assignments()][gapIndex] += gap;
      if (r.assignments() == 1) {
        int pos = 0;
        while (e.tokens()[pos] == 61) {
          pos++;
        }
        posSum += pos;
        posSq += (double) pos * pos;
        singles++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    // Types 12 : 10 : 10 : 10 (public code's perm_table weights).
    assertThat(types[0] / (double) rows).isCloseTo(12 / 42.0, within(0.006));
    for (int t = 1; t < 4; t++) {
      assertThat(types[t] / (double) rows).as("type %d", t).isCloseTo(10 / 42.0, within(0.006));
    }
    // Assignments uniform in 1..6; type 3 raises 1 to 2.
    for (int t = 0; t < 3; t++) {
      for (int n = 1; n <= 6; n++) {
        assertThat(assignmentsByType[t][n] / (double) types[t]).as("type %d, %d assignments", t, n)
            .isCloseTo(1 / 6.0, within(0.015));
      }
    }
    assertThat(assignmentsByType[3][1]).isZero();
    assertThat(assignmentsByType[3][2] / (double) types[3]).isCloseTo(2 / 6.0, within(0.015));
    for (int n = 3; n <= 6; n++) {
      assertThat(assignmentsByType[3][n] / (double) types[3]).isCloseTo(1 / 6.0, within(0.015));
    }
    for (int n = 1; n <= 6; n++) {
      int rowsWithN = 0;
      for (int t = 0; t < 4; t++) {
        rowsWithN += assignmentsByType[t][n];
      }
      for (int gi = 0; gi <= n; gi++) {
        assertThat(gapSums[n][gi] / rowsWithN).as("PADs in gap %d of %d assignments", gi, n)
            .isCloseTo((12 - 2 * n) / (n + 1.0), within(0.08));
      }
    }
    double mean = posSum / singles;
    assertThat(mean).isCloseTo(5.0, within(0.1));
    assertThat(posSq / singles - mean * mean).isCloseTo(2.5, within(0.3));
    // Everything allowed does occur.
    assertThat(pairsSeen).hasSize(2436);
    assertThat(leftVarsSeen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(rightVarsSeen).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(varPairsSeen).isEqualTo(allowedVarPairs);
    assertThat(seconds).as("100k rows with checks").isLessThan(10);
  }

  @Test
  void examplesArePureFunctionsOfSpecStreamAndIndex() {
    VarAssignGenerator a = new VarAssignGenerator(PAPER);
    VarAssignGenerator b = new VarAssignGenerator(VarAssignSpec.paper(42));
    int differentStream = 0;
    int differentIndex = 0;
    for (long i = 0; i < 200; i++) {
      assertThat(b.trainExample(3, i)).isEqualTo(a.trainExample(3, i));
      int[] tokens = a.trainExample(3, i).tokens();
      differentStream += Arrays.equals(tokens, a.trainExample(4, i).tokens()) ? 0 : 1;
      differentIndex += Arrays.equals(tokens, a.trainExample(3, i + 1).tokens()) ? 0 : 1;
    }
    assertThat(differentStream).isGreaterThan(190);
    assertThat(differentIndex).isGreaterThan(190);
    // Asked out of order, the same rows.
    VarAssignExample late = a.trainExample(3, 1_000_000_007L);
    a.trainExample(3, 5);
    assertThat(a.trainExample(3, 1_000_000_007L)).isEqualTo(late);
    for (VarAssignPool pool : VarAssignPool.values()) {
      assertThat(b.poolExample(pool, 17)).isEqualTo(a.poolExample(pool, 17));
    }
    // Another dataset seed: another partition, other rows.
    VarAssignPartition p42 = VarAssignPartition.of(PAPER);
    VarAssignPartition p43 = VarAssignPartition.of(VarAssignSpec.paper(43));
    assertThat(p43.trainPairCodes()).isNotEqualTo(p42.trainPairCodes());
    assertThat(p43.trainPairCount()).isEqualTo(2436);
    assertThat(VarAssignPartition.of(VarAssignSpec.paper(42)).trainPairCodes())
        .isEqualTo(p42.trainPairCodes());
    VarAssignGenerator c = new VarAssignGenerator(VarAssignSpec.paper(43));
    assertThat(c.trainExample(3, 0)).isNotEqualTo(a.trainExample(3, 0));
  }

  @Test
  void trainSourceBatchesAreTheGeneratorsRowsStepByStep() {
    TrainSource source = new VarAssignTrainSource(PAPER);
    assertThat(source.seqLen()).isEqualTo(16);
    VarAssignGenerator g = new VarAssignGenerator(PAPER);
    TrainSource.BatchStream stream = source.stream(11, 64);
    TokenTable step3 = stream.batch(3);
    TokenTable step0 = stream.batch(0);
    assertThat(step3.rows()).isEqualTo(64);
    assertThat(step3.readsLastOnly()).isTrue();
    for (int i = 0; i < 64; i++) {
      VarAssignExample e = g.trainExample(11, 3L * 64 + i);
      assertThat(Arrays.copyOfRange(step3.tokens(), i * 16, i * 16 + 16)).isEqualTo(e.tokens());
      assertThat(step3.targets()[i]).isEqualTo(e.label());
    }
    assertThat(source.stream(11, 64).batch(3)).isEqualTo(step3);
    assertThat(source.stream(11, 64).batch(0)).isEqualTo(step0);
    assertThat(step0).isNotEqualTo(step3);
    assertThat(source.stream(12, 64).batch(3)).isNotEqualTo(step3);
  }

  @Test
  void specValidationNamesTheFieldAndItsRange() {
    assertThatThrownBy(() -> new VarAssignSpec(1, 1.0, 2000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trainPairFraction")
        .hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> new VarAssignSpec(1, Double.NaN, 2000))
        .hasMessageContaining("trainPairFraction");
    assertThatThrownBy(() -> new VarAssignSpec(1, 1e-5, 2000))
        .hasMessageContaining("trainPairFraction").hasMessageContaining("1/3481");
    assertThatThrownBy(() -> new VarAssignSpec(1, 0.7, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize")
        .hasMessageContaining("1..1000000");
    VarAssignSpec paper = VarAssignSpec.paper(9);
    assertThat(paper.trainPairFraction()).isEqualTo(0.7);
    assertThat(paper.poolSize()).isEqualTo(2000);
    assertThat(paper.trainPairCount()).isEqualTo(2436);
    assertThat(paper.heldOutPairCount()).isEqualTo(1045);
  }

  @Test
  void rulesHelpers() {
    assertThat(VarAssignRules.variableToken(0)).isEqualTo(62);
    assertThat(VarAssignRules.variableToken(11)).isEqualTo(73);
    assertThat(VarAssignRules.variableName(62)).isEqualTo("a");
    assertThat(VarAssignRules.variableName(73)).isEqualTo("l");
    assertThat(VarAssignRules.isVariable(61)).isFalse();
    assertThat(VarAssignRules.isVariable(74)).isFalse();
    assertThat(VarAssignRules.isNumber(58)).isTrue();
    assertThat(VarAssignRules.isNumber(59)).isFalse();
    assertThatThrownBy(() -> VarAssignRules.variableToken(12))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VarAssignRules.variableName(58))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(VarAssignRules.render(new int[] {61, 62, 5, 59, 62, 3, 60}))
        .isEqualTo("_ a 5 + a 3 =");
  }
}
