package io.mechsweep.jobs.cli;

import io.mechsweep.jobs.config.ConfigException;
import io.mechsweep.jobs.stages.SparkSessions;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * How a failed command reports: {@link ExitCodes#BAD_INPUT} for a bad config, option, root,
 * input file or SQL, with one line on stderr saying what and what to do; {@link
 * ExitCodes#INTERNAL_ERROR} for anything else, with one line on stderr and the full trace in a
 * log file under the root.
 */
public final class ErrorReport {
  private ErrorReport() {}

  public static void install(CommandLine cli) {
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          String command = e.getCommandLine().getCommandName();
          cli.getErr().println(cmdError(cli, firstLine(e.getMessage())
              + " (see mechsweep " + (command.equals("mechsweep") ? "" : command + " ") + "--help)"));
          return ExitCodes.BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (isBadInput(e)) {
            cmd.getErr().println(cmdError(cmd, firstLine(e.getMessage())));
            return ExitCodes.BAD_INPUT;
          }
          Path log = writeTrace(e, cmd.getCommand() instanceof UnderRoot r ? r.common().resolvedRoot() : null);
          cmd.getErr().println(cmdError(cmd, "internal error: " + firstLine(e.toString()) + "; the full trace is in "
              + log + " (please report it)"));
          return ExitCodes.INTERNAL_ERROR;
        });
  }

  /**
   * What a user can fix: a config, an option, a root, an input file ({@link
   * io.mechsweep.datagen.BadInputException}, with {@link ConfigException} under it), or SQL. Any
   * other failure, an {@code IOException} of a full disk or a failing file system included, is
   * an internal error with its trace kept.
   */
  static boolean isBadInput(Exception e) {
    return e instanceof io.mechsweep.datagen.BadInputException
        || e instanceof org.apache.spark.sql.AnalysisException;
  }

  private static String cmdError(CommandLine cmd, String message) {
    return cmd.getColorScheme().errorText("mechsweep: " + message).toString();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("");
  }

  /**
   * Writes the exception's full trace to {@code <root>/logs/error-<time>.log} (a local root that
   * exists), else to the temporary directory; returns where it went.
   */
  public static Path writeTrace(Throwable e, String root) {
    String name = "mechsweep-error-" + java.time.LocalDateTime.now().toString().replace(':', '-') + ".log";
    Path local = root == null ? null : SparkSessions.localPath(root);
    Path dir = local != null && java.nio.file.Files.isDirectory(local)
        ? local.resolve("logs")
        : Path.of(System.getProperty("java.io.tmpdir"));
    Path log = dir.resolve(name);
    try {
      java.nio.file.Files.createDirectories(dir);
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      java.nio.file.Files.writeString(log, trace.toString());
      return log;
    } catch (java.io.IOException | RuntimeException writeFailed) {
      return Path.of("(not written: " + writeFailed.getMessage() + ")");
    }
  }
}
