package io.mechsweep.datagen;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** A dataset as a pure function of the row index; Spark only decides where rows are computed. */
public interface RowSource extends Serializable {
  long rowCount();

  /** Must contain a string column {@code split}: the output is partitioned by it. */
  StructType schema();

  Row row(long index);
}
