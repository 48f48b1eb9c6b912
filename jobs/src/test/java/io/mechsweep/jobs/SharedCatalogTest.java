package io.mechsweep.jobs;

import io.mechsweep.jobs.cli.SqlSession;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared catalog: a Hive metastore in PostgreSQL (bin/catalog-db) that a study's JVM writes
 * while another JVM queries its tables and views. The reader gets no lock error and never a torn
 * read: while the study rewrites every partition of its tables, each query sees all of the
 * study's rows (the same numbers as before the rewrite), never none or part of them.
 */
class SharedCatalogTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Per table of the study, its row count: what a reader must see before, during and after a rewrite. */
  static final String COUNTS = "select (select count(*) from mechsweep.runs where study = 'tiny') runs,"
      + " (select count(*) from mechsweep.metrics where study = 'tiny') metrics,"
      + " (select count(*) from mechsweep.evals where study = 'tiny') evals,"
      + " (select count(*) from mechsweep.probes where study = 'tiny') probes,"
      + " (select count(*) from mechsweep.anchor_phase_diagram where study = 'tiny') phase_diagram_rows";

  @TempDir static Path tmp;
  static Map<String, String> dbEnv;
  static String url;

  @BeforeAll
  static void startDatabase() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // The server runs as the postgres user when the tests run as root: it must enter the directory.
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    dbEnv = Map.of("MECHSWEEP_CATALOG_DB_DIR", tmp.resolve("db").toString(), "MECHSWEEP_CATALOG_DB_PORT",
        String.valueOf(port));
    url = catalogDb("start").trim();
    assertThat(url).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/metastore?user=mechsweep");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    catalogDb("stop");
    assertThat(catalogDb("status")).contains("stopped");
  }

  @Test
  void aReaderJvmQueriesTheViewsWhileAStudyRewritesItsTablesAndSeesThemWhole() throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY);
    String root = tmp.resolve("root").toString();
    Process first = mechsweep(tmp.resolve("first.log"), "study", config.toString(), "--root", root, "--catalog", url);
    assertThat(first.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(Files.readString(tmp.resolve("first.log"))).isZero();

    try (SqlSession reader = SqlSession.open("--root", root, "--catalog", url)) {
      JsonNode before = JSON.readTree(reader.json(COUNTS)).get("rows").get(0);
      assertThat(before.get(0).asLong()).isEqualTo(8);
      assertThat(before.get(3).asLong()).isPositive();
      assertThat(before.get(4).asLong()).isPositive();

      // The same study again, probes too: every partition of its tables is replaced.
      Path log = tmp.resolve("rewrite.log");
      Process writer = mechsweep(log, "study", config.toString(), "--root", root, "--catalog", url, "--reprobe");
      List<JsonNode> seen = new ArrayList<>();
      while (writer.isAlive()) {
        seen.add(JSON.readTree(reader.json(COUNTS)).get("rows").get(0));
      }
      String out = Files.readString(log);
      assertThat(writer.exitValue()).as(out).isZero();
      assertThat(out).contains("probes: ").doesNotContain("XSDB6").doesNotContain("Exception");
      assertThat(seen).as("queries while the study wrote").hasSizeGreaterThanOrEqualTo(5);
      assertThat(seen).as("each a whole study").allSatisfy(counts -> assertThat(counts).isEqualTo(before));
      assertThat(JSON.readTree(reader.json(COUNTS)).get("rows").get(0)).isEqualTo(before);
    }
  }

  /**
   * A role with a password (bin/catalog-db add-role): mechsweep logs in with it from a file,
   * $PGPASSWORD or a pgpass file, refuses a missing or wrong one and one in the URL before any
   * work, and the password shows in no output, no file of the root, no server log line, no
   * argument of ours and no argument of the nightly DAG.
   */
  @Test
  void aPasswordRoleLogsInFromAFileTheEnvironmentOrPgpassAndThePasswordShowsNowhere() throws Exception {
    String password = "Pw-7781'x";
    String secretUrl = catalogDb(password + "\n", "add-role", "secret_user").trim();
    assertThat(secretUrl).endsWith("/secret_user?user=secret_user").doesNotContain(password);
    Path config = tmp.resolve("one.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY.replace("depth: [1, 2], gamma: [0.3, 0.8]",
        "depth: [1], gamma: [0.3]").replace("seeds: [1, 2]", "seeds: [1]"));
    String root = tmp.resolve("secret-root").toString();
    List<String> outputs = new ArrayList<>();
    List<String> arguments = new ArrayList<>();

    // Refused before any work, in one line: no password, a wrong one, one in the URL.
    record Refusal(Map<String, String> env, String url, String says) {}
    for (Refusal refused : List.of(new Refusal(Map.of(), secretUrl, "no password was given"),
        new Refusal(Map.of("PGPASSWORD", "wrong"), secretUrl, "password authentication failed for user"),
        new Refusal(Map.of(), secretUrl + "&password=" + password, "password=*** carries a password"))) {
      String[] args = {"study", config.toString(), "--root", root, "--catalog", refused.url()};
      Process p = mechsweep(tmp.resolve("refused.log"), refused.env(), args);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(tmp.resolve("refused.log"));
      assertThat(p.exitValue()).as(out).isEqualTo(2);
      assertThat(out.strip().lines().filter(l -> l.startsWith("mechsweep: "))).as(out).singleElement()
          .asString().startsWith("mechsweep: --catalog: ").contains(refused.says());
      assertThat(Path.of(root)).as("refused before the root is made").doesNotExist();
      outputs.add(out);
    }

    String[] study = {"study", config.toString(), "--root", root, "--catalog", secretUrl};
    arguments.addAll(List.of(study));
    Process trained = mechsweep(tmp.resolve("secret.log"), Map.of("PGPASSWORD", password), study);
    assertThat(trained.waitFor(300, TimeUnit.SECONDS)).isTrue();
    outputs.add(Files.readString(tmp.resolve("secret.log")));
    assertThat(trained.exitValue()).as(outputs.get(outputs.size() - 1)).isZero();

    Path file = Files.writeString(tmp.resolve("catalog-password"), password + "\n");
    Path pgpass = Files.writeString(tmp.resolve("pgpass"), "# host:port:database:user:password\n"
        + "otherhost:*:*:*:nope\n127.0.0.1:*:secret_user:secret_user:" + password.replace(":", "\\:") + "\n");
    record Reader(Map<String, String> env, List<String> options) {}
    for (Reader reader : List.of(new Reader(Map.of(), List.of("--catalog-password-file", file.toString())),
        new Reader(Map.of("PGPASSFILE", pgpass.toString()), List.of()))) {
      List<String> sql = new ArrayList<>(List.of("sql", "--root", root, "--catalog", secretUrl));
      sql.addAll(reader.options());
      sql.add("select concat('finished=', count(*)) from mechsweep.runs where study = 'tiny' and status = 'finished'");
      arguments.addAll(sql);
      Process p = mechsweep(tmp.resolve("sql.log"), reader.env(), sql.toArray(String[]::new));
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(tmp.resolve("sql.log"));
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("finished=1");
      outputs.add(out);
    }

    Path params = tmp.resolve("nightly.yaml");
    Files.writeString(params, Files.readString(NightlyDagTest.DAG.resolveSibling("mechsweep_nightly.yaml"))
        .replaceAll("catalog: .*", "catalog: " + secretUrl)
        .replaceAll("catalog_password_file: .*", "catalog_password_file: " + file));
    String rendered = NightlyDagTest.python(Map.of("MECHSWEEP_NIGHTLY_CONFIG", params.toString()),
        NightlyDagTest.contractScript(), "show", "--date", "2026-11-23");
    for (JsonNode task : JSON.readTree(rendered).get("tasks")) {
      List<String> args = new ArrayList<>();
      task.get("application_args").forEach(a -> args.add(a.asText()));
      assertThat(String.join(" ", args)).contains("--catalog " + secretUrl + " --catalog-password-file " + file);
    }
    outputs.add(rendered);

    assertThat(outputs).allSatisfy(out -> assertThat(out).doesNotContain(password));
    assertThat(arguments).noneSatisfy(a -> assertThat(a).contains(password));
    List<Path> written;
    try (var files = Files.walk(Path.of(root))) {
      written = files.filter(Files::isRegularFile).toList();
    }
    written = new ArrayList<>(written);
    written.add(tmp.resolve("db/server.log"));
    assertThat(written).hasSizeGreaterThan(10).allSatisfy(f ->
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
            .doesNotContain(password));
  }

  /** A mechsweep command in a JVM of its own (this test's classpath and Java flags), output to {@code log}. */
  private static Process mechsweep(Path log, String... args) throws Exception {
    return mechsweep(log, Map.of(), args);
  }

  private static Process mechsweep(Path log, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dai.djl.offline=true"));
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeAll(List.of("PGPASSWORD", "PGPASSFILE", "MECHSWEEP_CATALOG_PASSWORD_FILE"));
    pb.environment().put("HOME", tmp.toString()); // no ~/.pgpass of whoever runs the tests
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String catalogDb(String action) throws Exception {
    return catalogDb("", action);
  }

  /** bin/catalog-db with {@code stdin} on its standard input. */
  private static String catalogDb(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LocalCluster.REPO.resolve("bin/catalog-db").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(new LinkedHashMap<>(dbEnv));
    Process p = pb.redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("bin/catalog-db %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
