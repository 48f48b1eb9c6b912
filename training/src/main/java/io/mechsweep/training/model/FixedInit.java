package io.mechsweep.training.model;

import java.io.Serializable;

/**
 * A parameter that starts from set values instead of a random draw: what the topics paper's
 * settings prescribe (one-hot embeddings, an identity decoder, W_K = W_Q = 0, W_V as the topic
 * block matrix, attention started near zero). Applied per member after the random draw, so the
 * draws of the other parameters are the same with or without it.
 */
public sealed interface FixedInit extends Serializable {
  /** The values of a {@code rows × cols} parameter, row-major. */
  float[] values(int rows, int cols, io.mechsweep.datagen.RowRandom random);

  /** All zeros. */
  record Zeros() implements FixedInit {
    @Override
    public float[] values(int rows, int cols, io.mechsweep.datagen.RowRandom random) {
      return new float[rows * cols];
    }
  }

  /** Ones on the diagonal (a one-hot embedding, an identity map); needs rows ≤ cols or cols ≤ rows, any. */
  record Identity() implements FixedInit {
    @Override
    public float[] values(int rows, int cols, io.mechsweep.datagen.RowRandom random) {
      float[] v = new float[rows * cols];
      for (int i = 0; i < Math.min(rows, cols); i++) {
        v[i * cols + i] = 1f;
      }
      return v;
    }
  }

  /**
   * 1 where row and column are words of the same topic, else 0: words start after
   * {@code specials} tokens and topic t owns {@code wordsPerTopic} consecutive ones.
   */
  record TopicBlock(int specials, int wordsPerTopic) implements FixedInit {
    @Override
    public float[] values(int rows, int cols, io.mechsweep.datagen.RowRandom random) {
      float[] v = new float[rows * cols];
      for (int i = specials; i < rows; i++) {
        for (int j = specials; j < cols; j++) {
          v[i * cols + j] = (i - specials) / wordsPerTopic == (j - specials) / wordsPerTopic ? 1f : 0f;
        }
      }
      return v;
    }
  }

  /**
   * U(−bound, bound): PyTorch's default for a linear layer's bias (bound = 1/√fan_in), which the
   * anchor paper's public code keeps for its output layer.
   */
  record Uniform(double bound) implements FixedInit {
    @Override
    public float[] values(int rows, int cols, io.mechsweep.datagen.RowRandom random) {
      float[] v = new float[rows * cols];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (bound * (2 * random.nextDouble() - 1));
      }
      return v;
    }
  }

  /** {@code scale} × U[0, 1): the source's "near zero" start of the attention matrices. */
  record NearZero(double scale) implements FixedInit {
    @Override
    public float[] values(int rows, int cols, io.mechsweep.datagen.RowRandom random) {
      float[] v = new float[rows * cols];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (scale * random.nextDouble());
      }
      return v;
    }
  }
}
