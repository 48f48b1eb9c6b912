package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.StudyRunner;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.config.StudyConfigParser;
import io.mechsweep.jobs.plan.PackSizing;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run SQL against the catalog and print the result (its tables and views: commandLine()).",
    footer = {"", "Examples: bin/mechsweep sql \"select * from mechsweep.phase_diagram\"",
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

  @Override
  public Integer call() throws Exception {
    if ((query == null) == (file == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "give either a QUERY or --file FILE.sql");
    }
    List<String> statements = query != null ? List.of(query) : SqlFiles.statements(java.nio.file.Files.readString(file));
    try (SqlSession session = SqlSession.open(common)) {
      for (String statement : statements) {
        session.show(statement, limit, System.out);
      }
    }
    return ExitCodes.OK;
  }
}
