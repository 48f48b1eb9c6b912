package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.model.GammaInitializer;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backward pass must not read memory the JVM may already have freed. DJL turns Java numbers
 * into scalar tensors over Java direct buffers and frees them right after the op; an autograd
 * graph that keeps such a tensor reads freed memory in backward. Here the JVM collects and then
 * refills small freed blocks with NaN between forward and backward, which made q/k gradients NaN
 * when the attention scale was a Java number.
 */
class AutogradMemoryTest {
  @Test
  void backwardSurvivesGarbageCollectionBetweenForwardAndBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterSet p = GammaInitializer.pack(Fixtures.MODEL, new double[] {0.5, 0.8}, new long[] {1, 2}, m);
      PackedTransformer model = new PackedTransformer(Fixtures.MODEL, p);
      long[] tokens = new long[2 * 16 * 9];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = 20 + (i * 7) % 80;
      }
      for (int round = 0; round < 20; round++) {
        try (NDScope scope = new NDScope()) {
          Autograd.record(true);
          NDArray loss = model.logits(Tensors.of(m, tokens, new Shape(2, 16, 9))).logSoftmax(-1).mean();
          sprayFreedMemoryWithNaN();
          Autograd.backward(loss);
          Autograd.record(false);
          Autograd.gradients(p).forEach((name, g) ->
              assertThat(Tensors.anyNonFinite(g)).as("gradient of %s", name).isFalse());
          Autograd.zeroGradients(p);
        }
      }
    }
  }

  private static void sprayFreedMemoryWithNaN() {
    System.gc();
    try {
      Thread.sleep(20); // let the cleaner free unreachable direct buffers
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ByteBuffer> spray = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
      b.putFloat(0, Float.NaN).putFloat(4, Float.NaN);
      spray.add(b);
    }
    spray.clear();
  }
}
