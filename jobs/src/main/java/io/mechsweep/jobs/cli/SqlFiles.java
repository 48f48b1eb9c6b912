package io.mechsweep.jobs.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a .sql file into statements: {@code --} comments dropped, {@code ;} ends a statement.
 * Simple on purpose (for analysis/sql/): neither may appear inside a string literal.
 */
public final class SqlFiles {
  private SqlFiles() {}

  public static List<String> statements(String text) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      int comment = line.indexOf("--");
      withoutComments.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
    }
    List<String> out = new ArrayList<>();
    for (String part : withoutComments.toString().split(";")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }
}
