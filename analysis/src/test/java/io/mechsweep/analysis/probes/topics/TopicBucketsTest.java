package io.mechsweep.analysis.probes.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class TopicBucketsTest {
  private static final IntUnaryOperator TOPICS = TopicBuckets.synthetic(4, 10);
  /** START, w0, w1, w10, w0, END: tokens 2, 4, 5, 14, 4, 3. */
  private static final int[] DOC = {2, 4, 5, 14, 4, 3};

  private static double mean(Map<String, double[]> sums, String bucket) {
    double[] s = sums.get(bucket);
    return s[0] / s[1];
  }

  @Test
  void uniformAttentionReadsOneInEveryBucketAndSpecialsAreInNoPair() {
    float[] uniform = new float[36];
    java.util.Arrays.fill(uniform, 1f / 6);
    Map<String, double[]> sums = TopicBuckets.attention(uniform, 6, DOC, TOPICS);
    assertThat(sums.keySet()).containsExactlyInAnyOrder(TopicBuckets.SAME_TOKEN, TopicBuckets.SAME_TOPIC,
        TopicBuckets.DIFFERENT_TOPIC);
    sums.values().forEach(s -> assertThat(s[0] / s[1]).isCloseTo(1.0, within(1e-6)));
    assertThat(sums.get(TopicBuckets.SAME_TOKEN)[1]).as("(1,4) and (4,1)").isEqualTo(2);
    assertThat(sums.get(TopicBuckets.SAME_TOPIC)[1]).as("w0–w1 pairs").isEqualTo(4);
    assertThat(sums.get(TopicBuckets.DIFFERENT_TOPIC)[1]).as("w10 with the others").isEqualTo(6);
  }

  @Test
  void attentionOnOneKeyLandsInTheBucketsOfItsPairs() {
    float[] pattern = new float[36];
    for (int q = 0; q < 6; q++) {
      pattern[q * 6 + 4] = 1f; // every query looks at position 4 (w0) only
    }
    Map<String, double[]> sums = TopicBuckets.attention(pattern, 6, DOC, TOPICS);
    // same token: (1→4) = 6, (4→1) = 0; same topic: (2→4) = 6 of 4 pairs; different: (3→4) = 6 of 6.
    assertThat(mean(sums, TopicBuckets.SAME_TOKEN)).isCloseTo(3.0, within(1e-6));
    assertThat(mean(sums, TopicBuckets.SAME_TOPIC)).isCloseTo(1.5, within(1e-6));
    assertThat(mean(sums, TopicBuckets.DIFFERENT_TOPIC)).isCloseTo(1.0, within(1e-6));
  }

  /** The topic block matrix (the paper's frozen W_V): products 10 / 10 / 0 raw, 9.04 / 9.04 / −0.96 centred. */
  @Test
  void rowProductsOfTheTopicBlockMatrixRawCentredAndCosine() {
    int v = 104;
    float[] block = new float[v * v];
    for (int i = 4; i < v; i++) {
      for (int j = 4; j < v; j++) {
        block[i * v + j] = (i - 4) / 10 == (j - 4) / 10 ? 1f : 0f;
      }
    }
    Map<String, Double> raw = TopicBuckets.rowProducts(block, v, v, TOPICS, false, false);
    assertThat(raw.get(TopicBuckets.SAME_TOKEN)).isCloseTo(10.0, within(1e-9));
    assertThat(raw.get(TopicBuckets.SAME_TOPIC)).isCloseTo(10.0, within(1e-9));
    assertThat(raw.get(TopicBuckets.DIFFERENT_TOPIC)).isCloseTo(0.0, within(1e-9));
    Map<String, Double> centred = TopicBuckets.rowProducts(block, v, v, TOPICS, true, false);
    assertThat(centred.get(TopicBuckets.SAME_TOKEN)).isCloseTo(10 - 100.0 / 104, within(1e-6));
    assertThat(centred.get(TopicBuckets.DIFFERENT_TOPIC)).isCloseTo(-100.0 / 104, within(1e-6));
    Map<String, Double> cosine = TopicBuckets.rowProducts(block, v, v, TOPICS, false, true);
    assertThat(cosine.get(TopicBuckets.SAME_TOPIC)).isCloseTo(1.0, within(1e-9));
    assertThat(raw).doesNotContainKey(TopicBuckets.NO_TOPIC);
  }

  @Test
  void aWordWithoutTopicFormsNoTopicPairs() {
    IntUnaryOperator wiki = t -> t == 0 ? TopicBuckets.SPECIAL : t == 3 ? TopicBuckets.UNASSIGNED : t % 2;
    float[] identity = new float[16];
    for (int i = 0; i < 4; i++) {
      identity[i * 4 + i] = 1f;
    }
    Map<String, Double> raw = TopicBuckets.rowProducts(identity, 4, 4, wiki, false, false);
    assertThat(raw.get(TopicBuckets.NO_TOPIC)).isEqualTo(0.0);
    assertThat(raw.get(TopicBuckets.SAME_TOKEN)).isEqualTo(1.0);
    assertThat(raw).containsOnlyKeys(TopicBuckets.SAME_TOKEN, TopicBuckets.NO_TOPIC, TopicBuckets.DIFFERENT_TOPIC);
  }
}
