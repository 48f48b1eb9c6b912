package io.mechsweep.datagen.wikipedia;

import io.mechsweep.datagen.topics.LdaGenerator;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Which articles train, which stop early (dev) and which are probed (test), the same on every
 * machine. The rule: u = xxhash64(page id, seed) mod 10⁶ / 10⁶; dev when u &lt; dev_share, test
 * when u &lt; dev_share + test_share, train otherwise. When that leaves a split empty (a small
 * corpus), the articles are split by the rank of the same u instead: the lowest
 * max(1, ⌊dev_share·n⌋) are dev, the next max(1, ⌊test_share·n⌋) test, the rest (at least one,
 * since n ≥ 3 and each share ≤ 0.5) train.
 */
public final class ArticleSplits {
  private static final List<String> SPLITS = List.of(LdaGenerator.TRAIN, LdaGenerator.DEV, LdaGenerator.TEST);

  /**
   * @param articles the articles with a {@code split} column
   * @param rule how they were split, for the dataset's details
   */
  public record Result(Dataset<Row> articles, String rule) {}

  private ArticleSplits() {}

  public static Result assign(SparkSession spark, Dataset<Row> articles, long count, WikipediaDataset.Spec spec) {
    Column u = functions.pmod(functions.xxhash64(functions.col("id"), functions.lit(spec.seed())),
        functions.lit(1_000_000L)).divide(1_000_000.0);
    Dataset<Row> hashed = articles.withColumn("split", functions.when(u.lt(spec.devShare()), LdaGenerator.DEV)
        .when(u.lt(spec.devShare() + spec.testShare()), LdaGenerator.TEST).otherwise(LdaGenerator.TRAIN));
    List<String> present = hashed.select("split").distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
    List<String> empty = SPLITS.stream().filter(s -> !present.contains(s)).toList();
    if (empty.isEmpty()) {
      return new Result(hashed, "by id hash");
    }
    List<Row> ranked = articles.select(functions.col("id"), u.as("u")).orderBy("u", "id").collectAsList();
    int dev = (int) Math.max(1, Math.floor(spec.devShare() * count));
    int test = (int) Math.max(1, Math.floor(spec.testShare() * count));
    List<Row> bySplit = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      String split = i < dev ? LdaGenerator.DEV : i < dev + test ? LdaGenerator.TEST : LdaGenerator.TRAIN;
      bySplit.add(RowFactory.create(ranked.get(i).getLong(0), split));
    }
    Dataset<Row> splits = spark.createDataFrame(bySplit,
        new StructType().add("id", DataTypes.LongType, false).add("split", DataTypes.StringType, false));
    return new Result(articles.join(splits, "id"), "by rank of the id hash (the hash alone left "
        + String.join(" and ", empty) + " empty)");
  }
}
