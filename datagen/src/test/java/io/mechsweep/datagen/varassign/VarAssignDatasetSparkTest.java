package io.mechsweep.datagen.varassign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VarAssignDatasetSparkTest {
  private static SparkSession spark;
  // 1,100 per pool: unseen_0var (1,045 held-out pairs) is exhaustive, the others sampled.
  private static final VarAssignSpec SPEC = new VarAssignSpec(11, 0.7, 1100);

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
  void contentIsIdenticalWhateverThePartitioningAndReadsBackAsGenerated() throws Exception {
    VarAssignDataset dataset = new VarAssignDataset(SPEC);
    String one = tmp.resolve("one").toString();
    String five = tmp.resolve("five").toString();
    dataset.write(spark, one, 1);
    DatasetWriter.Result r = dataset.write(spark, five, 5);
    List<Row> a = allRows(one);
    List<Row> b = allRows(five);
    assertThat(a).hasSize(9 * 1100 + 1045);
    assertThat(b).containsExactlyElementsOf(a);
    assertThat(r.rowsPerSecond()).isPositive();

    // Row 4,000 (in train_2var: rows 3,300..4,399) equals the pure generator's, column by column.
    VarAssignExample e = dataset.generator().datasetRow(4000);
    Row row = a.get(4000);
    assertThat(row.getLong(row.fieldIndex("row"))).isEqualTo(4000);
    assertThat(row.getString(row.fieldIndex("split"))).isEqualTo("train_2var").isEqualTo(e.pool());
    assertThat(row.getList(row.fieldIndex("tokens")))
        .containsExactly(java.util.Arrays.stream(e.tokens()).boxed().toArray(Integer[]::new));
    assertThat(row.getInt(row.fieldIndex("left_value_pos"))).isEqualTo(e.leftValuePos());

    DatasetMetadata m =
        DatasetMetadata.read(five, spark.sparkContext().hadoopConfiguration()).orElseThrow();
    assertThat(m.task()).isEqualTo("varassign");
    assertThat(m.datasetId()).isEqualTo(dataset.datasetId());
    assertThat(m.seed()).isEqualTo(11);
    // The spec's three fields (what the id hashes) plus the partition it drew.
    assertThat(m.spec()).containsOnlyKeys("seed", "trainPairFraction", "poolSize", "partition")
        .containsEntry("poolSize", 1100).containsEntry("trainPairFraction", 0.7);
    @SuppressWarnings("unchecked")
    Map<String, Object> partition = (Map<String, Object>) m.spec().get("partition");
    assertThat(partition).containsEntry("trainPairCount", 2436)
        .containsEntry("notLeftOperand", List.of("k", "l"));
    assertThat((List<?>) partition.get("trainPairCodes")).hasSize(2436);
    assertThat(m.splitRows()).hasSize(10).containsEntry("unseen_0var", 1045L)
        .containsEntry("both_restricted_2var", 1100L);

    VarAssignDataset.Pools fromDisk = VarAssignDataset.readPools(spark, five);
    VarAssignDataset.Pools inMemory = dataset.generateInMemory();
    assertThat(fromDisk).isEqualTo(inMemory);
    TaskData diskData = fromDisk.taskData(300);
    TaskData memoryData = inMemory.taskData(300);
    assertThat(diskData.train()).isEqualTo(memoryData.train());
    for (int i = 0; i < diskData.evalSets().size(); i++) {
      assertThat(diskData.evalSets().get(i).table())
          .isEqualTo(memoryData.evalSets().get(i).table());
    }
  }

  @Test
  void incompleteDamagedOrForeignDatasetsAreRefused() throws Exception {
    VarAssignDataset dataset = new VarAssignDataset(SPEC);
    String dir = tmp.resolve("broken").toString();
    dataset.write(spark, dir, 2);
    var conf = spark.sparkContext().hadoopConfiguration();
    DatasetMetadata m = DatasetMetadata.read(dir, conf).orElseThrow();

    // A lost Parquet file: row counts no longer match the metadata.
    try (Stream<Path> files = Files.walk(Path.of(dir, "split=train_0var"))) {
      Path victim = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.delete(victim);
      Files.deleteIfExists(victim.resolveSibling("." + victim.getFileName() + ".crc"));
    }
    assertThatThrownBy(() -> VarAssignDataset.readPools(spark, dir))
        .hasMessageContaining("split 'train_0var'")
        .hasMessageContaining("files are missing or corrupt");

    // Metadata recording another partition than this code draws from the seed.
    Map<String, Object> spec = new LinkedHashMap<>(m.spec());
    @SuppressWarnings("unchecked")
    Map<String, Object> partition =
        new LinkedHashMap<>((Map<String, Object>) spec.get("partition"));
    List<Object> codes = new ArrayList<>((List<?>) partition.get("trainPairCodes"));
    codes.set(0, -1);
    partition.put("trainPairCodes", codes);
    spec.put("partition", partition);
    new DatasetMetadata(m.datasetId(), m.task(), m.seed(), spec, m.splitRows(), m.totalRows(),
        m.generationSeconds()).write(dir, conf);
    assertThatThrownBy(() -> VarAssignDataset.readPools(spark, dir))
        .hasMessageContaining("different partition");

    // No metadata: generation never finished.
    new File(dir, DatasetMetadata.FILE_NAME).delete();
    assertThatThrownBy(() -> VarAssignDataset.readPools(spark, dir))
        .hasMessageContaining("is incomplete").hasMessageContaining(DatasetMetadata.FILE_NAME);
  }
}
