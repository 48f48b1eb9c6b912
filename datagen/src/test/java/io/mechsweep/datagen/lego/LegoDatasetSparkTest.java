package io.mechsweep.datagen.lego;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegoDatasetSparkTest {
  private static SparkSession spark;
  private static final LegoSpec SPEC = new LegoSpec(7, 12, 6, 900, 300);

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
    LegoDataset dataset = new LegoDataset(SPEC);
    String one = tmp.resolve("one").toString();
    String seven = tmp.resolve("seven").toString();
    dataset.write(spark, one, 1);
    dataset.write(spark, seven, 7);
    List<Row> a = spark.read().parquet(one).orderBy("split", "row").collectAsList();
    List<Row> b = spark.read().parquet(seven).orderBy("split", "row").collectAsList();
    assertThat(a).hasSize(1200).containsExactlyElementsOf(b);

    LegoDataset.Chains read = LegoDataset.read(spark, seven);
    LegoDataset.Chains memory = dataset.generateInMemory();
    assertThat(read.datasetId()).isEqualTo(dataset.datasetId());
    for (int i : new int[] {0, 450, 899}) {
      assertThat(read.train().get(i).tokens(LegoOrder.SHUFFLED)).containsExactly(memory.train().get(i).tokens(LegoOrder.SHUFFLED));
    }
    assertThat(read.test().get(299).values()).containsExactly(memory.test().get(299).values());
    assertThat(read.taskData(100).evalSets().get(0).table()).isEqualTo(memory.taskData(100).evalSets().get(0).table());
  }

  @Test
  void aLengthMixtureWithLongerTestsReadsBackWithItsSpecAndEverySplit() throws Exception {
    LegoDataset dataset = new LegoDataset(new LegoSpec(7, 4, 3, 200, 30, java.util.List.of(2, 3, 4), java.util.List.of(8)));
    String dir = tmp.resolve("mixed").toString();
    dataset.write(spark, dir, 3);
    LegoDataset.Chains read = LegoDataset.read(spark, dir);
    LegoDataset.Chains memory = dataset.generateInMemory();
    assertThat(read.spec()).isEqualTo(dataset.spec());
    assertThat(read.tests().keySet()).containsExactly(4, 8);
    assertThat(read.tests().get(8).get(29).tokens(LegoOrder.SHUFFLED))
        .containsExactly(memory.tests().get(8).get(29).tokens(LegoOrder.SHUFFLED));
    for (int i = 0; i < 3; i++) {
      assertThat(read.taskData(30).evalSets().get(i).table()).isEqualTo(memory.taskData(30).evalSets().get(i).table());
    }
  }
}
