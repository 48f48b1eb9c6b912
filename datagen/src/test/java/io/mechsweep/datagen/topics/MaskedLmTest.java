package io.mechsweep.datagen.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskedLmTest {
  private static final LdaSpec SPEC = LdaSpec.paper(3);
  private static final LdaGenerator GENERATOR = new LdaGenerator(SPEC);

  @Test
  void ratesMatchTheRuleAndSpecialsAreNeverChosen() {
    MaskedLm lm = new MaskedLm(11, MaskedLm.PAPER_RATE, MaskedLm.Policy.ONCE);
    long words = 0;
    long chosen = 0;
    long masked = 0;
    long kept = 0;
    for (int row = 0; row < 3_000; row++) {
      int[] tokens = GENERATOR.document(LdaGenerator.TRAIN, row).tokens();
      MaskedLm.Masked m = lm.mask(tokens, 1, row, 0, SPEC.vocabularySize());
      assertThat(m.count()).as("at least one chosen position").isPositive();
      assertThat(m.chosen()[0]).isFalse();
      assertThat(m.chosen()[tokens.length - 1]).isFalse();
      for (int i = 0; i < tokens.length; i++) {
        words += TopicsVocabulary.isWord(tokens[i]) ? 1 : 0;
        if (m.chosen()[i]) {
          chosen++;
          masked += m.input()[i] == TopicsVocabulary.MASK ? 1 : 0;
          kept += m.input()[i] == tokens[i] ? 1 : 0;
        } else {
          assertThat(m.input()[i]).as("an unchosen position is left alone").isEqualTo(tokens[i]);
        }
      }
    }
    // ~375,000 words: the binomial standard errors are far below these tolerances.
    assertThat((double) chosen / words).isBetween(0.145, 0.155);
    assertThat((double) masked / chosen).isBetween(0.79, 0.81);
    // kept: the 10% unchanged plus the random draws that hit the same token (0.1 / 104).
    assertThat((double) kept / chosen).isBetween(0.095, 0.107);
  }

  @Test
  void oncePerDatasetMasksRepeatEveryEpochAndPerEpochMasksDoNot() {
    int[] tokens = GENERATOR.document(LdaGenerator.TRAIN, 5).tokens();
    MaskedLm once = new MaskedLm(11, MaskedLm.PAPER_RATE, MaskedLm.Policy.ONCE);
    MaskedLm perEpoch = new MaskedLm(11, MaskedLm.PAPER_RATE, MaskedLm.Policy.PER_EPOCH);
    assertThat(once.mask(tokens, 1, 5, 3, SPEC.vocabularySize()).chosen())
        .isEqualTo(once.mask(tokens, 1, 5, 0, SPEC.vocabularySize()).chosen());
    assertThat(perEpoch.mask(tokens, 1, 5, 3, SPEC.vocabularySize()).chosen())
        .isNotEqualTo(perEpoch.mask(tokens, 1, 5, 0, SPEC.vocabularySize()).chosen());
    assertThat(perEpoch.mask(tokens, 1, 5, 0, SPEC.vocabularySize()).chosen())
        .as("epoch 0 is the same draw under both policies")
        .isEqualTo(once.mask(tokens, 1, 5, 0, SPEC.vocabularySize()).chosen());
  }

  @Test
  void aShortDocumentStillGetsOneTarget() {
    int[] tokens = {TopicsVocabulary.START, TopicsVocabulary.tokenOfWord(42), TopicsVocabulary.END,
        TopicsVocabulary.PAD};
    MaskedLm lm = new MaskedLm(1, MaskedLm.PAPER_RATE, MaskedLm.Policy.ONCE);
    for (int row = 0; row < 50; row++) {
      MaskedLm.Masked m = lm.mask(tokens, 1, row, 0, SPEC.vocabularySize());
      assertThat(m.chosen()).containsExactly(false, true, false, false);
    }
  }
}
