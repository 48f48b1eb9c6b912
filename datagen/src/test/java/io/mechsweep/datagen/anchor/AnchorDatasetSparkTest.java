package io.mechsweep.datagen.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnchorDatasetSparkTest {
  private static SparkSession spark;
  private static final AnchorSpec SPEC = new AnchorSpec(5, 200, 40, 9, false);

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

  private static List<Row> allRows(String dir) {
    return spark.read().parquet(dir).orderBy("row").collectAsList();
  }

  @Test
  void contentIsIdenticalWhateverThePartitioning() throws Exception {
    AnchorDataset dataset = new AnchorDataset(SPEC);
    String one = tmp.resolve("one").toString();
    String seven = tmp.resolve("seven").toString();
    dataset.write(spark, one, 1);
    DatasetWriter.Result r = dataset.write(spark, seven, 7);
    List<Row> a = allRows(one);
    List<Row> b = allRows(seven);
    assertThat(a).hasSize((int) SPEC.totalRows());
    assertThat(b).containsExactlyElementsOf(a);
    assertThat(r.rowsPerSecond()).isPositive();
    // And equal to the pure generator, field by field.
    AnchorSequence s = new AnchorGenerator(SPEC).row(123);
    Row row = a.get(123);
    assertThat(row.getList(row.fieldIndex("tokens"))).containsExactly(
        java.util.Arrays.stream(s.tokens()).boxed().toArray(Integer[]::new));
    assertThat(row.getInt(row.fieldIndex("target"))).isEqualTo(s.target());
    assertThat(row.getString(row.fieldIndex("split"))).isEqualTo(s.split());
  }

  @Test
  void metadataRecordsSpecCountsSeedAndModulus() throws Exception {
    AnchorDataset dataset = new AnchorDataset(SPEC);
    String dir = tmp.resolve("meta").toString();
    dataset.write(spark, dir, 2);
    DatasetMetadata m = DatasetMetadata.read(dir, spark.sparkContext().hadoopConfiguration()).orElseThrow();
    assertThat(m.datasetId()).isEqualTo(dataset.datasetId()).hasSize(12);
    assertThat(m.seed()).isEqualTo(5);
    assertThat(m.spec()).containsEntry("keyModulus", 9).containsEntry("trainKeysPerPair", 200);
    assertThat(m.splitRows()).containsEntry("train", 3000L).containsEntry("heldout_keys", 600L)
        .containsEntry("unseen_pair", 240L);
    assertThat(m.totalRows()).isEqualTo(SPEC.totalRows());
  }

  @Test
  void loadedTaskDataMatchesTheInMemoryGeneration() throws Exception {
    AnchorDataset dataset = new AnchorDataset(SPEC);
    String dir = tmp.resolve("load").toString();
    dataset.write(spark, dir, 3);
    TaskData fromDisk = AnchorDataset.load(spark, dir, 100);
    TaskData inMemory = dataset.generateInMemory(100);
    assertThat(fromDisk.train()).isEqualTo(inMemory.train());
    assertThat(fromDisk.evalSets()).hasSameSizeAs(inMemory.evalSets());
    for (int i = 0; i < fromDisk.evalSets().size(); i++) {
      assertThat(fromDisk.evalSets().get(i).table().tokens()).isEqualTo(inMemory.evalSets().get(i).table().tokens());
    }
    assertThat(fromDisk.evalSets()).extracting(e -> e.name())
        .containsExactly("seen_heldout_keys", "swapped_heldout_keys", "unseen_pair", "unseen_pair_train_keys",
            "unseen_pair_heldout_keys", "train_sample");
    // The two key sides split the unseen pair: 240 rows, 200 on training-split keys, 40 on held-out
    // ones (SPEC: 200 + 40 keys per pair), each capped at 100 rows like every evaluation set.
    TaskData whole = AnchorDataset.load(spark, dir, 1000);
    assertThat(whole.evalSets()).filteredOn(e -> e.name().startsWith("unseen_pair"))
        .extracting(e -> e.name() + " " + e.table().rows())
        .containsExactly("unseen_pair 240", "unseen_pair_train_keys 200", "unseen_pair_heldout_keys 40");
  }

  @Test
  void incompleteOrDamagedDatasetsAreRefused() throws Exception {
    AnchorDataset dataset = new AnchorDataset(SPEC);
    String dir = tmp.resolve("broken").toString();
    dataset.write(spark, dir, 4);
    // A lost Parquet file: row counts no longer match the metadata.
    try (Stream<Path> files = Files.walk(Path.of(dir, "split=train"))) {
      Path victim = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.delete(victim);
      Files.deleteIfExists(victim.resolveSibling("." + victim.getFileName() + ".crc"));
    }
    assertThatThrownBy(() -> AnchorDataset.load(spark, dir, 10))
        .hasMessageContaining("split 'train'").hasMessageContaining("files are missing or corrupt");
    // No metadata: generation never finished.
    new File(dir, DatasetMetadata.FILE_NAME).delete();
    assertThatThrownBy(() -> AnchorDataset.load(spark, dir, 10))
        .hasMessageContaining("is incomplete").hasMessageContaining(DatasetMetadata.FILE_NAME);
  }
}
