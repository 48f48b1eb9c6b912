package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process run to its end: its exit code and its output (stdout and stderr together). */
record ChildProcess(int code, String output) {

  /** Runs {@code command} with these extra environment variables; fails the test past {@code seconds}. */
  static ChildProcess run(Map<String, String> env, long seconds, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("%s ended within %d s", command, seconds).isTrue();
    return new ChildProcess(p.exitValue(), output);
  }
}
