package io.mechsweep.analysis.probes;

import io.mechsweep.training.model.Names;

/**
 * One member's parameter copied to the host, stored as in checkpoints: {@code (d_in, d_out)}
 * for linear maps (activations multiply on the left), {@code (rows, d)} for embedding tables.
 */
public record WeightMatrix(String name, int rows, int cols, float[] data) {
  public WeightMatrix {
    if (data.length != (long) rows * cols) {
      throw new IllegalArgumentException(name + ": " + data.length + " values for " + rows + "×" + cols);
    }
  }

  public double[][] asRows() {
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = data[i * cols + j];
      }
    }
    return out;
  }

  public double[] row(int i) {
    double[] out = new double[cols];
    for (int j = 0; j < cols; j++) {
      out[j] = data[i * cols + j];
    }
    return out;
  }

  /**
   * The weight vector of each unit, as the paper's {@code W x} convention reads rows: tokens'
   * (or positions') vectors for embedding tables, each output neuron's incoming weights
   * (our columns) for linear maps.
   */
  public double[][] unitVectors() {
    if (isEmbedding()) {
      return asRows();
    }
    double[][] out = new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[j][i] = data[i * cols + j];
      }
    }
    return out;
  }

  public boolean isEmbedding() {
    return name.equals(Names.TOKEN_EMBEDDING) || name.equals(Names.POSITION_EMBEDDING);
  }

  /** A matrix in the linear-algebra sense: LayerNorm gains and biases (one row) are not. */
  public boolean isMatrix() {
    return rows > 1 && cols > 1;
  }

  /** The block index in {@code blocks.L.…}, else null. */
  public Integer layer() {
    return Names.layerOf(name);
  }
}
