package io.mechsweep.datagen.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.TokenTable;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LdaDatasetSparkTest {
  private static SparkSession spark;
  private static final LdaSpec SPEC = new LdaSpec(5, 10, 10, 0.1, 100, 150, 300, 60, 40);

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void byteIdenticalUnderAnyPartitioningAndReadsBackAsGenerated() throws Exception {
    LdaDataset dataset = new LdaDataset(SPEC);
    String one = tmp.resolve("one").toString();
    String five = tmp.resolve("five").toString();
    dataset.write(spark, one, 1);
    dataset.write(spark, five, 5);
    List<Row> a = spark.read().parquet(one).orderBy("split", "row").collectAsList();
    List<Row> b = spark.read().parquet(five).orderBy("split", "row").collectAsList();
    assertThat(a).hasSize(400).containsExactlyElementsOf(b);

    LdaDataset.Corpus corpus = LdaDataset.read(spark, five);
    LdaGenerator generator = new LdaGenerator(SPEC);
    assertThat(corpus.train()).hasSize(300);
    assertThat(corpus.dev().get(59).tokens()).containsExactly(generator.document(LdaGenerator.DEV, 59).tokens());
    assertThat(corpus.test().get(0).mixture()).containsExactly(generator.document(LdaGenerator.TEST, 0).mixture());
  }

  /** The masked-LM tables: padding and chosen positions hidden from the keys, targets only where chosen. */
  @Test
  void maskedLmTablesHideTheChosenPositionsAndThePaddingFromTheKeys() throws Exception {
    LdaDataset dataset = new LdaDataset(SPEC);
    String dir = tmp.resolve("mlm").toString();
    dataset.write(spark, dir, 2);
    LdaDataset.Corpus corpus = LdaDataset.read(spark, dir);
    MaskedLm once = new MaskedLm(9, MaskedLm.PAPER_RATE, MaskedLm.Policy.ONCE);
    TaskData data = corpus.taskData(once, 50);
    assertThat(data.seqLen()).isEqualTo(152);
    TokenTable dev = data.evalSets().get(0).table();
    assertThat(data.evalSets().get(0).recordLoss()).isTrue();
    int reads = dev.reads();
    for (int r = 0; r < dev.rows(); r++) {
      int length = corpus.dev().get(r).tokens().length;
      java.util.Set<Integer> chosen = new java.util.TreeSet<>();
      for (int k = 0; k < reads; k++) { // reads at the chosen positions, then padding reads (target −1)
        int j = r * reads + k;
        if (dev.targets()[j] >= 0) {
          int position = dev.readPositions()[j];
          assertThat(chosen.add(position)).as("row %d reads position %d once", r, position).isTrue();
          assertThat(position).isBetween(1, length - 2); // words only: never START or END
          assertThat(dev.targets()[j]).isEqualTo(corpus.dev().get(r).tokens()[position]);
        }
      }
      assertThat(chosen).as("row %d has a chosen position", r).isNotEmpty();
      for (int i = 0; i < 152; i++) {
        int j = r * 152 + i;
        assertThat(dev.keyMask()[j]).as("row %d position %d", r, i)
            .isEqualTo(i < length && !chosen.contains(i) ? 1f : 0f);
        if (i >= length) {
          assertThat(dev.tokens()[j]).isEqualTo(TopicsVocabulary.PAD);
        }
      }
    }
    // Rows read as often as the row with the most chosen positions: about 15% of up to 150 words.
    assertThat(reads).isBetween(10, 60);
    // Masks drawn once: the same document is masked alike in epochs 0 and 3; per epoch it is not.
    TokenTable first = data.train().stream(1, 30).batch(0);
    int epochs = 300 / 30;
    TokenTable later = data.train().stream(1, 30).batch(3 * epochs);
    TokenTable perEpochLater = corpus.taskData(new MaskedLm(9, MaskedLm.PAPER_RATE, MaskedLm.Policy.PER_EPOCH), 50)
        .train().stream(1, 30).batch(3 * epochs);
    assertThat(later.targets()).isNotEqualTo(first.targets()); // another permutation of the documents
    int[] rowsOfLater = new io.mechsweep.datagen.BatchSampler(1, 300, 30).batch(3 * epochs);
    TokenTable reMasked = MlmTable.of(rowsOf(corpus, rowsOfLater), once, MaskedLm.TRAIN_STREAM, 0, 152,
        SPEC.vocabularySize());
    assertThat(later.keyMask()).isEqualTo(reMasked.keyMask());
    assertThat(perEpochLater.keyMask()).isNotEqualTo(reMasked.keyMask());
  }

  private static List<LdaDocument> rowsOf(LdaDataset.Corpus corpus, int[] rows) {
    return java.util.Arrays.stream(rows).mapToObj(corpus.train()::get).toList();
  }
}
