package io.mechsweep.datagen.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LdaGeneratorTest {
  private static final LdaSpec PAPER = LdaSpec.paper(7);
  private static final LdaGenerator GENERATOR = new LdaGenerator(PAPER);

  @Test
  void everyWordBelongsToTheTopicItWasDrawnFromAndLengthsStayInRange() {
    int[] lengthCounts = new int[PAPER.maxLength() + 1];
    for (int row = 0; row < 2_000; row++) {
      LdaDocument d = GENERATOR.document(LdaGenerator.TRAIN, row);
      assertThat(d.tokens()[0]).isEqualTo(TopicsVocabulary.START);
      assertThat(d.tokens()[d.tokens().length - 1]).isEqualTo(TopicsVocabulary.END);
      assertThat(d.length()).isBetween(100, 150);
      lengthCounts[d.length()]++;
      for (int i = 0; i < d.length(); i++) {
        int token = d.tokens()[i + 1];
        assertThat(token).isBetween(TopicsVocabulary.SPECIALS, PAPER.vocabularySize() - 1);
        assertThat(TopicsVocabulary.topicOf(token, 10)).isEqualTo(d.topics()[i]);
        assertThat(d.mixture()[d.topics()[i]]).isPositive();
      }
      assertThat(java.util.Arrays.stream(d.mixture()).sum()).isCloseTo(1.0, within(1e-12));
    }
    assertThat(lengthCounts[100]).as("both ends of the range occur").isPositive();
    assertThat(lengthCounts[150]).isPositive();
  }

  /**
   * Dirichlet(0.1) over 10 topics is sparse: the largest component averages about 0.66 and most
   * components get almost no mass; a wrong Gamma sampler (or α) moves both.
   */
  @Test
  void topicMixturesAreAsSparseAsDirichletPointOneInAggregate() {
    int docs = 4_000;
    double maxSum = 0;
    double below1Percent = 0;
    double[] meanTheta = new double[10];
    for (int row = 0; row < docs; row++) {
      double[] theta = GENERATOR.document(LdaGenerator.TRAIN, row).mixture();
      double max = 0;
      for (int t = 0; t < 10; t++) {
        max = Math.max(max, theta[t]);
        below1Percent += theta[t] < 0.01 ? 1 : 0;
        meanTheta[t] += theta[t] / docs;
      }
      maxSum += max;
    }
    // The mean of a symmetric Dirichlet is uniform. Reference from Python's random.gammavariate
    // (200,000 mixtures): mean max θ 0.6646, share of components below 0.01 0.6210. With 4,000
    // mixtures the standard errors are about 0.004 and 0.003.
    for (double m : meanTheta) {
      assertThat(m).isCloseTo(0.1, within(0.015));
    }
    assertThat(maxSum / docs).isBetween(0.645, 0.685);
    assertThat(below1Percent / (docs * 10.0)).isBetween(0.600, 0.642);
  }

  @Test
  void aDocumentIsAPureFunctionOfSeedSplitAndRow() {
    LdaDocument a = GENERATOR.document(LdaGenerator.DEV, 123);
    LdaDocument b = new LdaGenerator(LdaSpec.paper(7)).document(LdaGenerator.DEV, 123);
    assertThat(a.tokens()).isEqualTo(b.tokens());
    assertThat(a.mixture()).isEqualTo(b.mixture());
    assertThat(GENERATOR.document(LdaGenerator.TEST, 123).tokens()).isNotEqualTo(a.tokens());
    assertThat(new LdaGenerator(LdaSpec.paper(8)).document(LdaGenerator.DEV, 123).tokens()).isNotEqualTo(a.tokens());
    assertThat(GENERATOR.datasetRow(PAPER.trainDocs() + 123).tokens()).isEqualTo(a.tokens());
  }

  @Test
  void aBadSpecNamesTheFieldAndItsRange() {
    assertThatThrownBy(() -> new LdaSpec(1, 10, 10, 0.0, 100, 150, 10, 10, 10)).hasMessageContaining("alpha must be in (0, 100]");
    assertThatThrownBy(() -> new LdaSpec(1, 10, 10, 0.1, 150, 100, 10, 10, 10)).hasMessageContaining("minLength ≤ maxLength");
    assertThatThrownBy(() -> new LdaSpec(1, 1, 10, 0.1, 100, 150, 10, 10, 10)).hasMessageContaining("topics must be in 2..1000");
  }
}
