package io.mechsweep.jobs.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.datagen.BadInputException;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The PyTorch baseline: {@code training/python/reference.py bench} on the same model and step. */
public final class PyTorchReference {
  /** One measurement: ms per step (one run), the torch version, the BLAS it loaded, what it timed. */
  public record Measurement(int threads, double msPerStep, String torch, String blas, String times) {}

  private final String python;
  private final Path script;

  public PyTorchReference(String python, Path script) {
    this.python = python;
    this.script = script;
  }

  /** Refuses, as bad input, a missing Python or script: the user installs or points to them. */
  public void requireInstalled() {
    if (!Files.isRegularFile(Path.of(python))) {
      throw new BadInputException(python + " not found: apt-get install python3-torch libopenblas0-pthread");
    }
    if (!Files.isRegularFile(script)) {
      throw new BadInputException(script + " not found: run from the repository root or pass --reference");
    }
  }

  public Measurement measure(TrainingBenchmark.Setup setup, int steps, int threads)
      throws IOException, InterruptedException {
    requireInstalled();
    String config = new ObjectMapper().writeValueAsString(TrainingBenchmark.referenceConfig(setup));
    ProcessBuilder pb = new ProcessBuilder(List.of(python, script.toString(), "bench",
        "--config", config, "--steps", "" + steps, "--threads", "" + threads)).redirectErrorStream(true);
    // OpenBLAS's own threads fight torch's on these small matrices; one is its fastest setting.
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("pytorch reference failed:\n" + output);
    }
    JsonNode r = new ObjectMapper().readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
    return new Measurement(threads, r.get("ms_per_step").asDouble(), r.get("torch").asText(),
        r.get("blas").asText(), r.path("times").asText());
  }
}
