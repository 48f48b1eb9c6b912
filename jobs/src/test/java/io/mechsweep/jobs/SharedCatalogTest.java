package io.mechsweep.jobs;

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
      + " (select count(*) from mechsweep.phase_diagram where study = 'tiny') phase_diagram_rows";

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

  /** A mechsweep command in a JVM of its own (this test's classpath and Java flags), output to {@code log}. */
  private static Process mechsweep(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dai.djl.offline=true"));
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String catalogDb(String action) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(LocalCluster.REPO.resolve("bin/catalog-db").toString(), action);
    pb.environment().putAll(new LinkedHashMap<>(dbEnv));
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("bin/catalog-db %s: %s", action, out).isZero();
    return out;
  }
}
