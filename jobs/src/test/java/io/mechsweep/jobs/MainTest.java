package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aBadConfigExitsWithTwoNamingTheFieldBeforeAnyWork() throws Exception {
    Path config = tmp.resolve("bad.yaml");
    Files.writeString(config, StudyConfigParserTest.TINY.replace("depth: [1, 2]", "depth: [0]"));
    Path root = tmp.resolve("root");
    Run r = run("study", config.toString(), "--root", root.toString(), "--catalog", "none");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("model.depth: got [0]; allowed: an integer or a non-empty list of integers in [1, 64]");
    assertThat(root).as("nothing was started or written").doesNotExist();
  }

  @Test
  void helpTeachesTheCommands() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("bin/mechsweep study conf/studies/anchor-quickstart.yaml")
        .contains("generate").contains("train").contains("study").contains("sql").contains("bench");
    Run study = run("study", "--help");
    assertThat(study.out()).contains("--root").contains("--catalog").contains("--retry-failed").contains("STUDY.yaml");
  }

  @Test
  void benchRefusesAnUnknownTaskOrEmptyRunsNamingWhatIsAllowed() {
    Run task = run("bench", "--task", "topics");
    assertThat(task.code()).isEqualTo(2);
    assertThat(task.err()).contains("--task").contains("got 'topics'; allowed: anchor, varassign, lego");
    Run steps = run("bench", "--task", "varassign", "--steps", "0");
    assertThat(steps.code()).isEqualTo(2);
    assertThat(steps.err()).contains("must be ≥ 1");
    Run help = run("bench", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--task").contains("varassign").contains("training/python/reference.py")
        .doesNotContain("anchor_reference");
  }
}
