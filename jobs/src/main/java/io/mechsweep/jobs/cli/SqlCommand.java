package io.mechsweep.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run SQL against the catalog and print the result (its tables and views: commandLine()).",
    footer = {"", "Examples: bin/mechsweep sql \"select * from mechsweep.anchor_phase_diagram\"",
        "          bin/mechsweep sql --file analysis/sql/accuracy_vs_step.sql"})
public final class SqlCommand implements Callable<Integer>, UnderRoot {
  @Mixin CommonOptions common;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Spark SQL, e.g. select * from mechsweep.runs")
  String query;

  @Option(names = "--file", paramLabel = "FILE.sql",
      description = "Run the statements of a file (separated by ';'), e.g. analysis/sql/*.sql.")
  Path file;

  @Option(names = "--limit", defaultValue = "200", description = "Rows to print. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
      description = "table (Spark's), csv, json or markdown. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the result to FILE instead of the terminal.")
  Path outFile;

  @Option(names = "--list", description = "List the catalog's tables and views with their columns.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    if (list == (query != null || file != null) || query != null && file != null) {
      throw new CommandLine.ParameterException(new CommandLine(this), "give either a QUERY, --file FILE.sql or --list");
    }
    ResultFormat as;
    try {
      as = ResultFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--format: got '" + format + "'; allowed: table, csv, json, markdown");
    }
    if (file != null && !java.nio.file.Files.isReadable(file)) {
      throw new io.mechsweep.datagen.BadInputException("--file: " + file + " is not a readable file");
    }
    List<String> statements = list ? List.of() : query != null ? List.of(query)
        : SqlFiles.statements(java.nio.file.Files.readString(file));
    java.io.PrintStream out = outFile == null ? System.out : new java.io.PrintStream(
        java.nio.file.Files.newOutputStream(outFile), true, java.nio.charset.StandardCharsets.UTF_8);
    try (SqlSession session = SqlSession.open(common)) {
      if (list) {
        for (String name : catalogNames()) {
          out.println(name + ": " + String.join(", ", session.columns(name)));
        }
      }
      for (String statement : statements) {
        session.write(statement, limit, as, out);
      }
    } finally {
      if (outFile != null) {
        out.close();
      }
    }
    return ExitCodes.OK;
  }

  /** The tables, then the views, by their catalog names, from the task registry. */
  private static List<String> catalogNames() {
    List<String> out = new java.util.ArrayList<>();
    io.mechsweep.jobs.tasks.Tasks.tables().forEach(t -> out.add(io.mechsweep.analysis.tables.Tables.DATABASE + "." + t.name()));
    io.mechsweep.jobs.tasks.Tasks.views().forEach(v -> out.add(io.mechsweep.analysis.tables.Tables.DATABASE + "." + v));
    return out;
  }
}
