package io.mechsweep.datagen.lego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import io.mechsweep.datagen.TrainSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Chain lengths that differ between rows, between training and testing, and with the step. */
class LegoLengthsTest {
  /** Training on a mixture of 2..4, tested at 4 (the main sets) and at 6 and 8. */
  private static final LegoSpec MIXED = new LegoSpec(7, 4, 3, 600, 50, List.of(2, 3, 4), List.of(6, 8));

  @Test
  void aMixtureDrawsEveryLengthAndPadsEachRowToTheLongestWithItsOwnSupervisedPrefix() {
    TaskData data = new LegoDataset(MIXED).generateInMemory().taskData(50);
    assertThat(data.seqLen()).isEqualTo(LegoRules.seqLen(8)).isEqualTo(42);
    TokenTable batch = data.train().stream(1, 600).batch(0);
    assertThat(batch.reads()).isEqualTo(4);
    Map<Integer, Integer> rowsByLength = new TreeMap<>();
    for (int i = 0; i < batch.rows(); i++) {
      int[] tokens = Arrays.copyOfRange(batch.tokens(), i * 42, (i + 1) * 42);
      int sep = indexOf(tokens, LegoRules.SEP);
      int n = (sep - 1) / LegoRules.CLAUSE_TOKENS;
      rowsByLength.merge(n, 1, Integer::sum);
      assertThat(sep).isEqualTo(LegoRules.seqLen(n) - 1);
      for (int j = sep + 1; j < 42; j++) {
        assertThat(tokens[j]).isEqualTo(LegoRules.PAD);
      }
      for (int k = 0; k < 4; k++) {
        int at = i * 4 + k;
        if (k < n) {
          assertThat(batch.targets()[at]).isIn(0, 1);
          assertThat(tokens[batch.readPositions()[at]]).isLessThan(LegoRules.LETTERS); // read at a name
          assertThat(batch.lossMask()[at]).isEqualTo(k < Math.min(3, n) ? 1f : 0f);
        } else {
          assertThat(batch.targets()[at]).as("a read beyond the row's chain is padding").isEqualTo(-1);
          assertThat(batch.lossMask()[at]).isZero();
        }
      }
    }
    // Uniform over three lengths: 200 each of 600 (5σ ≈ 58).
    assertThat(rowsByLength.keySet()).containsExactly(2, 3, 4);
    assertThat(rowsByLength.values()).allMatch(c -> Math.abs(c - 200) < 58);
  }

  @Test
  void longerTestLengthsAreTheirOwnSplitsAndEvaluationSetsReadEveryPosition() {
    LegoDataset dataset = new LegoDataset(MIXED);
    assertThat(dataset.rowCount()).isEqualTo(600 + 3 * 50);
    LegoDataset.Chains chains = dataset.generateInMemory();
    assertThat(chains.tests().keySet()).containsExactly(4, 6, 8);
    assertThat(chains.tests().get(8)).allMatch(c -> c.length() == 8 && c.split().equals("test_n8"));
    TaskData data = chains.taskData(50);
    assertThat(data.evalSets()).extracting(e -> e.name())
        .containsExactly("test_shuffled", "test_sorted", "test_shuffled_n6", "test_shuffled_n8");
    TokenTable n8 = data.evalSets().get(3).table();
    assertThat(n8.reads()).isEqualTo(8);
    assertThat(n8.seqLen()).isEqualTo(42);
    assertThat(Arrays.copyOf(n8.lossMask(), 8)).containsExactly(1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f);
    // Row 600 + 50 + 7 of the dataset is row 7 of the n = 6 split.
    assertThat(new LegoGenerator(MIXED).datasetRow(657).tokens(LegoOrder.SHUFFLED))
        .containsExactly(chains.tests().get(6).get(7).tokens(LegoOrder.SHUFFLED));
    // The n = 4 test chains are the same with or without the longer splits beside them.
    LegoGenerator plain = new LegoGenerator(new LegoSpec(7, 4, 3, 600, 50, List.of(2, 3, 4), null));
    assertThat(plain.chain(LegoGenerator.TEST, 3).tokens(LegoOrder.SHUFFLED))
        .containsExactly(chains.test().get(3).tokens(LegoOrder.SHUFFLED));
  }

  @Test
  void specsWithoutLengthsKeepTheirDatasetIdsAndChains() {
    LegoSpec old = new LegoSpec(20260601, 6, 3, 100000, 2000);
    assertThat(DatasetMetadata.asMap(old).keySet())
        .containsExactlyInAnyOrder("seed", "chainLength", "supervised", "trainRows", "testRows");
    assertThat(old.seqLen()).isEqualTo(32);
    assertThat(new LegoDataset(old).datasetId())
        .isNotEqualTo(new LegoDataset(new LegoSpec(20260601, 6, 3, 100000, 2000, List.of(6), null)).datasetId());
  }

  @Test
  void freshChainsFollowTheCurriculumAndArePureInMemberSeedAndStep() {
    LegoCurriculum curriculum = new LegoCurriculum(List.of(
        new LegoCurriculum.Stage(0, List.of(2)), new LegoCurriculum.Stage(5, List.of(2, 3, 4))));
    TaskData data = new LegoDataset(MIXED).generateInMemory().taskData(10, curriculum);
    assertThat(data.train().fixedRows()).isEmpty();
    TrainSource.BatchStream stream = data.train().stream(11, 64);
    assertThat(lengths(stream.batch(4))).containsOnly(2);
    assertThat(lengths(stream.batch(5))).containsOnly(2, 3, 4).contains(2, 3, 4);
    assertThat(stream.batch(4).reads()).isEqualTo(4); // one shape for the whole run
    assertThat(data.train().stream(11, 64).batch(7)).isEqualTo(stream.batch(7));
    assertThat(data.train().stream(12, 64).batch(7).tokens()).isNotEqualTo(stream.batch(7).tokens());
    assertThat(stream.batch(8).tokens()).isNotEqualTo(stream.batch(7).tokens());
    TokenTable sorted = data.train().variant("sorted").stream(11, 64).batch(7);
    assertThat(sorted.targets()).containsExactly(stream.batch(7).targets()); // the same chains
  }

  @Test
  void lengthsThatCannotBeGeneratedAreRefused() {
    assertThatThrownBy(() -> new LegoSpec(0, 4, 2, 10, 10, List.of(3, 2), null))
        .hasMessageContaining("trainLengths must be increasing");
    assertThatThrownBy(() -> new LegoSpec(0, 4, 2, 10, 10, null, List.of(4, 6)))
        .hasMessageContaining("must not repeat chainLength 4");
    assertThatThrownBy(() -> new LegoSpec(0, 4, 4, 10, 10, List.of(2, 3), null))
        .hasMessageContaining("supervised must be in 1..3");
    assertThatThrownBy(() -> new LegoCurriculum(List.of(new LegoCurriculum.Stage(10, List.of(2)))))
        .hasMessageContaining("first stage starts at step 0");
    LegoChain eight = new LegoChain(0, "x", new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0, new int[7],
        new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    assertThatThrownBy(() -> eight.tokens(LegoOrder.SHUFFLED, 32))
        .hasMessageContaining("a chain of 8 needs 42 tokens, not 32");
  }

  private static List<Integer> lengths(TokenTable batch) {
    List<Integer> out = new java.util.ArrayList<>();
    for (int i = 0; i < batch.rows(); i++) {
      int[] tokens = Arrays.copyOfRange(batch.tokens(), i * batch.seqLen(), (i + 1) * batch.seqLen());
      out.add((indexOf(tokens, LegoRules.SEP) - 1) / LegoRules.CLAUSE_TOKENS);
    }
    return out;
  }

  private static int indexOf(int[] tokens, int token) {
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == token) {
        return i;
      }
    }
    return -1;
  }
}
