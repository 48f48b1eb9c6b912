package io.mechsweep.training.model;

import java.io.Serializable;

/** How a run's weight matrices are drawn: N(0, σ²) with σ from the matrix's fan-in or fixed. */
public sealed interface InitScheme extends Serializable {
  double sigma(int fanIn);

  /** The anchor paper's initialization rate: σ = d_in^-γ. */
  record Gamma(double gamma) implements InitScheme {
    @Override
    public double sigma(int fanIn) {
      return Math.pow(fanIn, -gamma);
    }
  }

  /** One σ for every matrix (varassign's default: 0.8/√128). */
  record FixedStd(double std) implements InitScheme {
    @Override
    public double sigma(int fanIn) {
      return std;
    }
  }
}
