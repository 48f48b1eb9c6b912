package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.analysis.tables.TableStore;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.jobs.stages.SparkSessions;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root whose catalog registered a table before a column was added to it (metrics before its
 * {@code stage}) gets the column on the next registration; the old rows read it as null.
 */
class CatalogSchemaTest {
  @TempDir Path root;

  @Test
  void aColumnAddedSinceRegistrationIsAddedToTheCatalogTable() {
    SparkSession spark = SparkSessions.create("schema", root.toString(), SparkSessions.Catalog.EMBEDDED,
        Map.of("spark.master", "local[1]"));
    try {
      TableStore store = new TableStore(spark, root.toString(), true);
      String location = store.location(Tables.METRICS);
      spark.sql("CREATE DATABASE IF NOT EXISTS mechsweep");
      spark.sql("CREATE TABLE mechsweep.metrics (run_id STRING, step INT, lr DOUBLE, loss DOUBLE, grad_norm DOUBLE,"
          + " study STRING) USING parquet PARTITIONED BY (study) LOCATION '" + location + "'");
      spark.sql("SELECT 'r1' AS run_id, 10 AS step, 0.001D AS lr, 0.5D AS loss, 1.0D AS grad_norm")
          .write().parquet(location + "/study=old");
      spark.sql("MSCK REPAIR TABLE mechsweep.metrics");
      assertThat(spark.table("mechsweep.metrics").columns()).doesNotContain("stage");

      store.ensureRegistered(Tables.METRICS);

      assertThat(spark.table("mechsweep.metrics").columns()).contains("stage");
      Row old = spark.sql("SELECT run_id, loss, stage FROM mechsweep.metrics WHERE study = 'old'").first();
      assertThat(old.getString(0)).isEqualTo("r1");
      assertThat(old.getDouble(1)).isEqualTo(0.5);
      assertThat(old.isNullAt(2)).isTrue();
    } finally {
      spark.stop();
    }
  }
}
