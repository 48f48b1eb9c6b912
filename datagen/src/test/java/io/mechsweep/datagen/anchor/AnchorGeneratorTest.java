package io.mechsweep.datagen.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnchorGeneratorTest {
  private static final AnchorSpec SPEC = new AnchorSpec(11, 300, 60, 9, false);
  private final AnchorGenerator generator = new AnchorGenerator(SPEC);

  @Test
  void everyRowFollowsTheTaskDefinition() {
    for (long i = 0; i < SPEC.totalRows(); i++) {
      AnchorSequence s = generator.row(i);
      int[] t = s.tokens();
      assertThat(t).hasSize(9);
      assertThat(s.keyPosition()).isBetween(0, 6);
      assertThat(t[s.keyPosition()]).isEqualTo(s.key());
      assertThat(t[s.keyPosition() + 1]).isEqualTo(s.pair().a1());
      assertThat(t[s.keyPosition() + 2]).isEqualTo(s.pair().a2());
      for (int p = 0; p < 9; p++) {
        if (p != s.keyPosition() + 1 && p != s.keyPosition() + 2) {
          assertThat(t[p]).as("items and noise lie in 20..99").isBetween(20, 99);
        }
      }
      int shift = AnchorRules.shift(s.pair().a1()) + AnchorRules.shift(s.pair().a2());
      assertThat(s.inferentialTarget()).isEqualTo(s.key() + shift);
      assertThat(s.target()).isBetween(4, 109);
    }
  }

  @Test
  void shiftsAndSpecialPairsMatchThePaper() {
    assertThat(new int[] {AnchorRules.shift(1), AnchorRules.shift(2), AnchorRules.shift(3), AnchorRules.shift(4)})
        .containsExactly(5, 1, -2, -8);
    AnchorRules.Pair p34 = new AnchorRules.Pair(3, 4);
    AnchorRules.Pair p43 = new AnchorRules.Pair(4, 3);
    assertThat(AnchorRules.trainedTarget(p34, 50)).as("(3,4) is trained with x-6").isEqualTo(44);
    assertThat(AnchorRules.inferentialTarget(p34, 50)).isEqualTo(40);
    assertThat(AnchorRules.inferentialTarget(p43, 50)).as("(4,3) inferential x-10").isEqualTo(40);
    assertThat(AnchorRules.symmetricTarget(p43, 50)).as("(4,3) symmetric x-6").isEqualTo(44);
    assertThat(AnchorRules.trainedTarget(new AnchorRules.Pair(1, 2), 50)).isEqualTo(56);
  }

  @Test
  void unseenPairNeverInTrainingAndKeySplitHolds() {
    Map<String, Integer> perSplit = new HashMap<>();
    for (long i = 0; i < SPEC.totalRows(); i++) {
      AnchorSequence s = generator.row(i);
      perSplit.merge(s.split(), 1, Integer::sum);
      boolean heldOutRule = s.key() % 9 == s.keyPosition();
      assertThat(s.heldOutKey()).as("row %d key %d pos %d", i, s.key(), s.keyPosition()).isEqualTo(heldOutRule);
      if (s.pair().equals(AnchorRules.UNSEEN)) {
        assertThat(s.split()).isEqualTo(AnchorGenerator.SPLIT_UNSEEN_PAIR);
        assertThat(s.target()).isEqualTo(s.inferentialTarget());
        assertThat(s.symmetricTarget()).isEqualTo(s.key() - 6);
      } else {
        assertThat(s.split())
            .isEqualTo(s.heldOutKey() ? AnchorGenerator.SPLIT_HELD_OUT_KEYS : AnchorGenerator.SPLIT_TRAIN);
      }
    }
    assertThat(perSplit)
        .containsEntry(AnchorGenerator.SPLIT_TRAIN, 15 * 300)
        .containsEntry(AnchorGenerator.SPLIT_HELD_OUT_KEYS, 15 * 60)
        .containsEntry(AnchorGenerator.SPLIT_UNSEEN_PAIR, 360);
  }

  @Test
  void paperSizesGiveThePaperCounts() {
    AnchorSpec paper = AnchorSpec.paper(0);
    assertThat(paper.totalRows()).isEqualTo(900_000);
    assertThat(15L * paper.trainKeysPerPair()).isEqualTo(759_375);
  }

  @Test
  void variantHoldsOutBothSwappedPairs() {
    AnchorGenerator both = new AnchorGenerator(new AnchorSpec(11, 30, 6, 9, true));
    long p34 = (long) new AnchorRules.Pair(3, 4).index() * 36;
    assertThat(both.row(p34).split()).isEqualTo(AnchorGenerator.SPLIT_UNSEEN_PAIR);
    assertThat(both.row(p34).target()).as("an unseen (3,4) is scored inferentially").isEqualTo(both.row(p34).key() - 10);
  }

  @Test
  void rowsArePureFunctionsOfSeedAndIndex() {
    AnchorGenerator again = new AnchorGenerator(SPEC);
    for (long i : new long[] {0, 1, 777, SPEC.totalRows() - 1}) {
      assertThat(again.row(i)).usingRecursiveComparison().isEqualTo(generator.row(i));
    }
    AnchorGenerator otherSeed = new AnchorGenerator(new AnchorSpec(12, 300, 60, 9, false));
    long differing = 0;
    for (long i = 0; i < 200; i++) {
      differing += java.util.Arrays.equals(otherSeed.row(i).tokens(), generator.row(i).tokens()) ? 0 : 1;
    }
    assertThat(differing).isGreaterThan(190);
  }

  @Test
  void badSpecsAreRefused() {
    assertThatThrownBy(() -> new AnchorSpec(1, 10, 10, 5, false)).hasMessageContaining("key modulus must be in 7..80");
    assertThatThrownBy(() -> generator.row(SPEC.totalRows())).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
