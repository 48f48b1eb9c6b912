package io.mechsweep.jobs.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, for its header: timings mean nothing without it. */
public final class Machine {
  private Machine() {}

  /** {@code machine: CPU MODEL, N cores, Java V}. */
  public static String line() {
    return String.format(Locale.ROOT, "machine: %s, %d cores, Java %s",
        cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
  }

  /** The first "model name" of /proc/cpuinfo, or "unknown CPU" where there is none. */
  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
