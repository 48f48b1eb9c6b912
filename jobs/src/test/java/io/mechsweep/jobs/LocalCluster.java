package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster started by bin/cluster for a test (a master and workers on loopback,
 * each its own JVM, from this test's classpath), and spark-submit to it (bin/cluster submit).
 */
final class LocalCluster implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("mechsweep.repo", ".."));
  final Path dir;
  final Map<String, String> env;
  final String master;

  private LocalCluster(Path dir, Map<String, String> env, String master) {
    this.dir = dir;
    this.env = env;
    this.master = master;
  }

  /** Starts {@code workers} workers of one core and {@code memory} each under {@code dir}. */
  static LocalCluster start(Path dir, int workers, String memory) throws Exception {
    return start(dir, workers, 1, memory, "");
  }

  /** Starts workers of {@code cores} cores, with extra worker JVM options (MECHSWEEP_WORKER_OPTS). */
  static LocalCluster start(Path dir, int workers, int cores, String memory, String workerOpts) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = Map.of("MECHSWEEP_CLUSTER_DIR", dir.toString(),
        "MECHSWEEP_CLUSTER_PORT", String.valueOf(port), "MECHSWEEP_CLASSPATH", System.getProperty("java.class.path"),
        "MECHSWEEP_WORKER_OPTS", workerOpts);
    String master = run(env, "start", String.valueOf(workers), String.valueOf(cores), memory).trim();
    assertThat(master).isEqualTo("spark://127.0.0.1:" + port);
    return new LocalCluster(dir, env, master);
  }

  /** bin/cluster with these arguments; its stdout, failing with its output when it exits non-zero. */
  String run(String... args) throws Exception {
    return run(env, args);
  }

  static String run(Map<String, String> env, String... args) throws Exception {
    Process p = process(env, List.of(args), null);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("bin/cluster %s: %s%s", String.join(" ", args), out, err).isZero();
    return out;
  }

  /**
   * {@code bin/cluster submit} of mechsweep's main class with these arguments, stdout and stderr
   * going to {@code log}: the spark-submit JVM (the driver, client mode) is the returned process.
   */
  Process submit(Path log, String... mechsweepArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("submit", "--class", Main.class.getName(), applicationJar().toString()));
    args.addAll(List.of(mechsweepArgs));
    return process(env, args, log);
  }

  /**
   * A jar of the jobs module's classes, as a spark-submit application; the other modules and
   * the dependencies are on the cluster's classpath (in production: the shaded cluster jar).
   */
  Path applicationJar() throws IOException {
    Path jar = dir.resolve("mechsweep-jobs-app.jar");
    if (Files.exists(jar)) {
      return jar;
    }
    Path classes = Path.of(java.net.URI.create(
        Main.class.getProtectionDomain().getCodeSource().getLocation().toString()));
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
        var files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static Process process(Map<String, String> env, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("bin/cluster").toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    if (log != null) {
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
    }
    return pb.start();
  }

  /** The executor JVMs a worker launched (its child processes), alive now. */
  List<ProcessHandle> executorsOf(int worker) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve("pids/worker-" + worker + ".pid")).trim());
    return ProcessHandle.of(pid).map(h -> h.descendants().filter(ProcessHandle::isAlive).toList()).orElse(List.of());
  }

  @Override
  public void close() throws Exception {
    run("stop");
  }
}
