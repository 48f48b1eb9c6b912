package io.mechsweep.training.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Every parameter of a model: its name, per-member shape and how it is initialized.
 *
 * <p>Weights are stored as (d_in, d_out) so activations multiply on the left ({@code x·W}).
 */
public final class ParameterLayout {
  /** How a tensor starts: Gaussian with σ = fanIn^-γ, or a constant (LayerNorm gain/bias). */
  public record Entry(String name, int rows, int cols, int fanIn, float constant) {
    public boolean isGaussian() {
      return fanIn > 0;
    }
  }

  private ParameterLayout() {}

  public static List<Entry> of(ModelConfig c) {
    List<Entry> out = new ArrayList<>();
    int d = c.dModel();
    out.add(gaussian("embed.tok", c.vocabSize(), d, d));
    out.add(gaussian("embed.pos", c.seqLen(), d, d));
    for (int l = 0; l < c.depth(); l++) {
      String b = "blocks." + l + ".";
      if (c.norm() == NormPlacement.PRE) {
        addNorm(out, b + "ln_attn", d);
      }
      out.add(gaussian(b + "attn.q", d, c.attnWidth(), d));
      out.add(gaussian(b + "attn.k", d, c.attnWidth(), d));
      out.add(gaussian(b + "attn.v", d, c.attnWidth(), d));
      out.add(gaussian(b + "attn.o", c.attnWidth(), d, c.attnWidth()));
      if (c.norm() == NormPlacement.POST) {
        addNorm(out, b + "ln_attn", d);
      }
      if (c.hasMlp(l)) {
        if (c.norm() == NormPlacement.PRE) {
          addNorm(out, b + "ln_mlp", d);
        }
        out.add(gaussian(b + "mlp.w1", d, c.dFf(), d));
        out.add(gaussian(b + "mlp.w2", c.dFf(), d, c.dFf()));
        if (c.norm() == NormPlacement.POST) {
          addNorm(out, b + "ln_mlp", d);
        }
      }
    }
    if (c.norm() == NormPlacement.PRE) {
      addNorm(out, "ln_final", d);
    }
    out.add(gaussian("unembed.w", d, c.vocabSize(), d));
    if (c.outputBias()) {
      out.add(new Entry("unembed.b", 1, c.vocabSize(), 0, 0f));
    }
    return out;
  }

  private static Entry gaussian(String name, int rows, int cols, int fanIn) {
    return new Entry(name, rows, cols, fanIn, 0f);
  }

  private static void addNorm(List<Entry> out, String name, int d) {
    out.add(new Entry(name + ".g", 1, d, 0, 1f));
    out.add(new Entry(name + ".b", 1, d, 0, 0f));
  }
}
