package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The contract of airflow/dags/mechsweep_nightly.py, without Airflow (not installable here): the
 * file compiles; its operators, read from its syntax tree by airflow/dag_contract.py, submit
 * mechsweep's main class with arguments the real command line accepts, in the order datasets,
 * training, probes, report; and that sequence, submitted to a standalone cluster, makes the
 * dated study.
 */
class NightlyDagTest {
  static final Path REPO = LocalCluster.REPO;
  static final Path DAG = REPO.resolve("airflow/dags/mechsweep_nightly.py");
  @TempDir Path tmp;

  @Test
  void theDagCompilesAndEveryStageIsAValidMechsweepCommand() throws Exception {
    assertThat(python(Map.of(), "-m", "py_compile", DAG.toString())).isEmpty();
    JsonNode contract = new ObjectMapper().readTree(python(Map.of(), contractScript(), "show", "--date", "2026-11-23"));

    JsonNode dag = contract.get("dag");
    assertThat(dag.get("dag_id").asText()).isEqualTo("mechsweep_nightly");
    assertThat(dag.get("catchup").asBoolean(true)).isFalse();
    assertThat(dag.get("max_active_runs").asInt()).isEqualTo(1);
    assertThat(dag.get("schedule").asText()).isNotBlank();
    JsonNode defaults = dag.get("default_args");
    assertThat(defaults.get("retries").asInt()).isPositive();
    assertThat(defaults.get("retry_exponential_backoff").asBoolean()).isTrue();
    assertThat(defaults.get("retry_delay").get("call").asText()).isEqualTo("datetime.timedelta");

    List<String> ids = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    for (JsonNode task : contract.get("tasks")) {
      ids.add(task.get("task_id").asText());
      assertThat(task.get("java_class").asText()).isEqualTo(Main.class.getName());
      assertThat(task.get("application").asText()).endsWith("mechsweep-cluster.jar");
      List<String> args = new ArrayList<>();
      task.get("application_args").forEach(a -> args.add(a.asText()));
      assertThat(String.join(" ", args)).doesNotContain("{{").doesNotContain("}}");
      // The real command line parses them: every option and parameter is one mechsweep knows.
      CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
      CommandLine.ParseResult sub = parsed.subcommand();
      commands.add(sub.commandSpec().name());
      if (sub.hasMatchedOption("--study")) {
        assertThat(sub.<String>matchedOptionValue("--study", null)).isEqualTo("anchor-nightly-20261123")
            .matches(io.mechsweep.analysis.tables.Tables.STUDY_NAME);
      }
      if (commands.size() > 1) {
        assertThat(task.get("upstream").asText()).isEqualTo(ids.get(ids.size() - 2));
      }
    }
    assertThat(ids).containsExactly("datasets", "training", "probes", "report");
    assertThat(commands).containsExactly("generate", "train", "probe", "report");
    // The parse above can fail: an option mechsweep does not have is refused.
    assertThatThrownBy(() -> new CommandLine(new Main()).parseArgs("train", "x.yaml", "--skip-probe"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }

  @Test
  void theDagsStagesSubmittedToAStandaloneClusterMakeTheDatedStudy() throws Exception {
    Path study = tmp.resolve("tiny.yaml");
    Files.writeString(study, StudyConfigParserTest.TINY);
    Path root = tmp.resolve("root");
    Path params = tmp.resolve("nightly.yaml");
    String shipped = Files.readString(DAG.resolveSibling("mechsweep_nightly.yaml"));
    Files.writeString(params, shipped
        .replaceAll("study_config: .*", "study_config: " + study)
        .replaceAll("study_prefix: .*", "study_prefix: tiny-nightly")
        .replaceAll("root: .*", "root: " + root)
        .replaceAll("catalog: .*", "catalog: embedded")
        .replaceAll("spark.task.cpus: .*", "spark.task.cpus: \"1\""));
    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"), 2, "2g")) {
      Map<String, String> env = new java.util.HashMap<>(cluster.env);
      env.put("MECHSWEEP_NIGHTLY_CONFIG", params.toString());
      String out = python(env, contractScript(), "run", "--date", "2026-11-23",
          "--application", cluster.applicationJar().toString());
      assertThat(out).contains("datasets: exit 0", "training: exit 0", "probes: exit 0", "report: exit 0")
          .contains("probes: skipped (`mechsweep probe` probes the checkpoints)")
          .contains("training: 8 runs (8 already done) in 0 packs"); // the probe stage trains nothing
    }
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      String partition = "/study=tiny-nightly-20261123";
      assertThat(spark.read().parquet(root + "/tables/runs" + partition).where("status = 'finished'").count())
          .isEqualTo(8);
      assertThat(spark.read().parquet(root + "/tables/probes" + partition).select("run_id").distinct().count())
          .isEqualTo(8);
    } finally {
      spark.stop();
    }
    assertThat(root.resolve("reports/tiny-nightly-20261123/index.html")).exists();
  }

  static String contractScript() {
    return REPO.resolve("airflow/dag_contract.py").toString();
  }

  /** Debian's python3 (with python3-yaml and python3-jinja2) running these arguments; its stdout. */
  static String python(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3"));
    command.addAll(List.of(args));
    ChildProcess p = ChildProcess.run(env, 600, command);
    assertThat(p.code()).as(p.output()).isZero();
    return p.output();
  }
}
