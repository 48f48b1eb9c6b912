package io.mechsweep.jobs;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mechsweep.training.bench.TrainingBenchmark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mechsweep bench}: training ms/step of the quickstart model at several pack sizes,
 * next to the PyTorch reference of the same model measured in the same invocation.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Training speed of the anchor quickstart model (d_model 128, depth 2, batch"
        + " 512): mechsweep packs of K runs against training/python/anchor_reference.py (the same"
        + " model in PyTorch), both measured now on this machine. Needs /usr/bin/python3 with"
        + " Debian's python3-torch and libopenblas0-pthread.")
final class Bench implements Callable<Integer> {
  @Option(names = "--d-model", defaultValue = "128", description = "Model width (d_ff = 3×, d_k = ½×).") int dModel;
  @Option(names = "--depth", defaultValue = "2", description = "Blocks.") int depth;
  @Option(names = "--batch", defaultValue = "512", description = "Sequences per step and run.") int batch;
  @Option(names = "--steps", defaultValue = "40", description = "Timed steps per measurement.") int steps;
  @Option(names = "--packs", split = ",", defaultValue = "1,8", description = "Pack sizes K.") List<Integer> packs;
  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "CPU threads to try.") List<Integer> threads;
  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch.") String python;
  @Option(names = "--reference", defaultValue = "training/python/anchor_reference.py",
      description = "The PyTorch reference script.") Path reference;

  @Override
  public Integer call() throws Exception {
    System.out.printf(Locale.ROOT, "model: d_model %d, d_ff %d, d_k %d, depth %d, batch %d; %d timed steps%n",
        dModel, 3 * dModel, dModel / 2, depth, batch, steps);
    double baseline = Double.MAX_VALUE;
    String baselineSetting = "";
    for (int t : threads) {
      JsonNode r = pytorch(t);
      double ms = r.get("ms_per_step").asDouble();
      System.out.printf(Locale.ROOT, "pytorch %s (%s), threads %d: %.1f ms/step%n",
          r.get("torch").asText(), r.get("blas").asText(), t, ms);
      if (ms < baseline) {
        baseline = ms;
        baselineSetting = "threads " + t;
      }
    }
    System.out.printf(Locale.ROOT, "baseline: pytorch at its fastest setting (%s) = %.1f ms per run-step%n%n",
        baselineSetting, baseline);
    System.out.printf("%-4s %-8s %-12s %-16s %-10s%n", "K", "threads", "ms/step", "ms/run-step", "vs pytorch");
    for (int k : packs) {
      for (int t : threads) {
        TrainingBenchmark.Result r =
            TrainingBenchmark.run(dModel, depth, batch, steps + 3, k, t, Device.cpu());
        System.out.printf(Locale.ROOT, "%-4d %-8d %-12.1f %-16.1f %.2fx%n",
            k, t, r.msPerStep(), r.msPerRunStep(), baseline / r.msPerRunStep());
      }
    }
    System.out.println("(vs pytorch > 1 means mechsweep trains more run-steps per second)");
    return 0;
  }

  private JsonNode pytorch(int threads) throws IOException, InterruptedException {
    if (!Files.isRegularFile(Path.of(python))) {
      throw new IOException(python + " not found: apt-get install python3-torch libopenblas0-pthread");
    }
    List<String> cmd = new ArrayList<>(List.of(python, reference.toString(), "bench",
        "--d-model", "" + dModel, "--depth", "" + depth, "--batch", "" + batch, "--steps", "" + steps,
        "--threads", "" + threads));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // OpenBLAS's own threads fight torch's on these small matrices; one is its fastest setting.
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("pytorch reference failed:\n" + output);
    }
    String last = output.strip().lines().reduce((a, b) -> b).orElse("{}");
    return new ObjectMapper().readTree(last);
  }
}
