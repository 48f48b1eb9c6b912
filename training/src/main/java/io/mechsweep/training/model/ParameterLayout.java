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

  /** The parameter names of a model, for validating references to them. */
  public static java.util.Set<String> names(ModelConfig c) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    of(c).forEach(e -> out.add(e.name()));
    return out;
  }

  public static List<Entry> of(ModelConfig c) {
    List<Entry> out = new ArrayList<>();
    int d = c.dModel();
    out.add(gaussian(Names.TOKEN_EMBEDDING, c.vocabSize(), d, d));
    out.add(gaussian(Names.POSITION_EMBEDDING, c.seqLen(), d, d));
    for (int l = 0; l < c.parameterBlocks(); l++) {
      if (c.norm() == NormPlacement.PRE) {
        addNorm(out, Names.attnNorm(l), d);
      }
      int queryWidth = c.learnedHeads(l) * c.dK(); // fixed heads of the LEGO module have no W_Q, W_K columns
      if (queryWidth > 0) {
        out.add(gaussian(Names.attnQ(l), d, queryWidth, d));
        out.add(gaussian(Names.attnK(l), d, queryWidth, d));
      }
      out.add(gaussian(Names.attnV(l), d, c.attnWidth(), d));
      out.add(gaussian(Names.attnO(l), c.attnWidth(), d, c.attnWidth()));
      if (c.norm() == NormPlacement.POST) {
        addNorm(out, Names.attnNorm(l), d);
      }
      if (c.hasMlp(l)) {
        if (c.norm() == NormPlacement.PRE) {
          addNorm(out, Names.mlpNorm(l), d);
        }
        out.add(gaussian(Names.mlpIn(l), d, c.dFf(), d));
        out.add(gaussian(Names.mlpOut(l), c.dFf(), d, c.dFf()));
        if (c.norm() == NormPlacement.POST) {
          addNorm(out, Names.mlpNorm(l), d);
        }
      }
    }
    if (c.norm() == NormPlacement.PRE) {
      addNorm(out, Names.FINAL_NORM, d);
    }
    out.add(gaussian(Names.UNEMBED, d, c.classes(), d));
    if (c.outputBias()) {
      out.add(new Entry(Names.UNEMBED_BIAS, 1, c.classes(), 0, 0f));
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
