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
 * Draws a pack's initial weights: every weight matrix ~ N(0, σ²) with σ from the member's
 * {@link InitScheme} (the anchor paper's σ = d_in^-γ, or a fixed σ); LayerNorm gain 1, biases 0.
 *
 * <p>Numbers come from our own seeded stream, not libtorch's RNG, so a member's initial weights
 * depend only on (seed, γ, shapes) — the same inside a pack, alone, on CPU or GPU.
 */
public final class GammaInitializer {
  private GammaInitializer() {}

  /** One member's parameters, row-major, by name. */
  public static Map<String, float[]> member(ModelConfig config, double gamma, long seed) {
    return member(config, new InitScheme.Gamma(gamma), seed);
  }

  /** One member's parameters under any {@link InitScheme}, row-major, by name. */
  public static Map<String, float[]> member(ModelConfig config, InitScheme init, long seed) {
    Map<String, float[]> out = new LinkedHashMap<>();
    List<ParameterLayout.Entry> layout = ParameterLayout.of(config);
    for (int p = 0; p < layout.size(); p++) {
      ParameterLayout.Entry e = layout.get(p);
      float[] values = new float[e.rows() * e.cols()];
      if (e.isGaussian()) {
        double sigma = init.sigma(e.fanIn());
        RowRandom random = RowRandom.of(seed, 1_000 + p, 0);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (sigma * random.nextGaussian());
        }
      } else {
        java.util.Arrays.fill(values, e.constant());
      }
      FixedInit fixed = config.fixedInit().get(e.name());
      if (fixed != null) { // after the draw, so the other parameters' draws do not depend on it
        values = fixed.values(e.rows(), e.cols(), RowRandom.of(seed, 2_000 + p, 0));
      }
      out.put(e.name(), values);
    }
    return out;
  }

  public static double sigma(int fanIn, double gamma) {
    return new InitScheme.Gamma(gamma).sigma(fanIn);
  }

  /** A pack's parameters: member k gets (gammas[k], seeds[k]); gradients attached. */
  public static ParameterSet pack(
      ModelConfig config, double[] gammas, long[] seeds, NDManager manager) {
    if (gammas.length != seeds.length) {
      throw new IllegalArgumentException("one γ per seed needed");
    }
    InitScheme[] inits = new InitScheme[gammas.length];
    for (int k = 0; k < gammas.length; k++) {
      inits[k] = new InitScheme.Gamma(gammas[k]);
    }
    return pack(config, inits, seeds, manager);
  }

  /** A pack's parameters: member k gets (inits[k], seeds[k]); gradients on all but the frozen. */
  public static ParameterSet pack(
      ModelConfig config, InitScheme[] inits, long[] seeds, NDManager manager) {
    List<Map<String, float[]>> members = new java.util.ArrayList<>();
    for (int k = 0; k < inits.length; k++) {
      members.add(member(config, inits[k], seeds[k]));
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
      t.setRequiresGradient(!config.frozen().contains(e.name()));
      tensors.put(e.name(), t);
    }
    return new ParameterSet(tensors);
  }
}
