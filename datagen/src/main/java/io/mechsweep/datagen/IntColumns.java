package io.mechsweep.datagen;

import java.util.List;
import org.apache.spark.sql.Row;

/** int arrays in and out of Spark rows (array&lt;int&gt; columns hold boxed Integers). */
public final class IntColumns {
  private IntColumns() {}

  public static int[] read(Row r, String column) {
    List<Integer> list = r.getList(r.fieldIndex(column));
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  public static Integer[] boxed(int[] values) {
    Integer[] out = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
