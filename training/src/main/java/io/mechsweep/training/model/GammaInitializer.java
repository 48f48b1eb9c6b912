package io.mechsweep.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.Tensors;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.datagen.RowRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initialization-rate scheme of the anchor paper: every weight matrix ~ N(0, σ²) with
 * σ = d_in^-γ, d_in the matrix's fan-in; LayerNorm gain 1 and biases 0.
 *
 * <p>Numbers come from our own seeded stream, not libtorch's RNG, so a member's initial weights
 * depend only on (seed, γ, shapes) — the same inside a pack, alone, on CPU or GPU.
 */
public final class GammaInitializer {
  private GammaInitializer() {}

  /** One member's parameters, row-major, by name. */
  public static Map<String, float[]> member(ModelConfig config, double gamma, long seed) {
    Map<String, float[]> out = new LinkedHashMap<>();
    List<ParameterLayout.Entry> layout = ParameterLayout.of(config);
    for (int p = 0; p < layout.size(); p++) {
      ParameterLayout.Entry e = layout.get(p);
      float[] values = new float[e.rows() * e.cols()];
      if (e.isGaussian()) {
        double sigma = sigma(e.fanIn(), gamma);
        RowRandom random = RowRandom.of(seed, 1_000 + p, 0);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (sigma * random.nextGaussian());
        }
      } else {
        java.util.Arrays.fill(values, e.constant());
      }
      out.put(e.name(), values);
    }
    return out;
  }

  public static double sigma(int fanIn, double gamma) {
    return Math.pow(fanIn, -gamma);
  }

  /** A pack's parameters: member k gets (gammas[k], seeds[k]); gradients attached. */
  public static ParameterSet pack(
      ModelConfig config, double[] gammas, long[] seeds, NDManager manager) {
    if (gammas.length != seeds.length) {
      throw new IllegalArgumentException("one γ per seed needed");
    }
    List<Map<String, float[]>> members = new java.util.ArrayList<>();
    for (int k = 0; k < gammas.length; k++) {
      members.add(member(config, gammas[k], seeds[k]));
    }
    return fromMembers(config, members, manager);
  }

  /** Stacks host-side member parameters into (K, rows, cols) tensors on the manager's device. */
  public static ParameterSet fromMembers(
      ModelConfig config, List<Map<String, float[]>> members, NDManager manager) {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    int k = members.size();
    for (ParameterLayout.Entry e : ParameterLayout.of(config)) {
      int size = e.rows() * e.cols();
      float[] all = new float[k * size];
      for (int m = 0; m < k; m++) {
        float[] values = members.get(m).get(e.name());
        if (values == null || values.length != size) {
          throw new IllegalArgumentException("member " + m + " has no " + e.name() + " of size " + size);
        }
        System.arraycopy(values, 0, all, m * size, size);
      }
      NDArray t = Tensors.of(manager, all, new Shape(k, e.rows(), e.cols()));
      t.setName(e.name());
      t.setRequiresGradient(true);
      tensors.put(e.name(), t);
    }
    return new ParameterSet(tensors);
  }
}
