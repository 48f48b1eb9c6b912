package io.mechsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Host arrays to tensors whose memory libtorch owns.
 *
 * <p>DJL's {@code create} wraps a Java direct buffer with {@code from_blob} on CPU, so the
 * tensor's memory lives only as long as the JVM keeps that buffer, while the autograd graph may
 * keep the tensor until backward (gather saves its index; a product saves its factors). Reading
 * such memory after the JVM freed it gave sporadic NaN gradients here. A tensor copied once into
 * memory libtorch owns is kept alive by the graph itself. For the same reason, operations in the
 * differentiated forward pass never take Java numbers (DJL wraps those the same way).
 */
public final class Tensors {
  private Tensors() {}

  public static NDArray of(NDManager manager, float[] data, Shape shape) {
    return owned(manager.create(data, shape));
  }

  public static NDArray of(NDManager manager, long[] data, Shape shape) {
    return owned(manager.create(data, shape));
  }

  /**
   * A tensor's values on the host, copied by libtorch into a Java array (DJL's
   * {@code toFloatArray()} reads through a direct buffer that aliases the tensor's memory).
   */
  public static float[] floats(NDArray array) {
    FloatBuffer buffer = array.toByteBuffer(false).order(ByteOrder.nativeOrder()).asFloatBuffer();
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  public static long[] longs(NDArray array) {
    LongBuffer buffer = array.toByteBuffer(false).order(ByteOrder.nativeOrder()).asLongBuffer();
    long[] out = new long[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  public static boolean anyNonFinite(NDArray array) {
    for (float v : floats(array)) {
      if (!Float.isFinite(v)) {
        return true;
      }
    }
    return false;
  }

  /** What {@code arrays} take in memory: elements × element size, each array counted. */
  public static long bytes(java.util.Collection<NDArray> arrays) {
    long total = 0;
    for (NDArray a : arrays) {
      total += a.getShape().size() * a.getDataType().getNumOfBytes();
    }
    return total;
  }

  private static NDArray owned(NDArray wrapped) {
    NDArray copy = wrapped.duplicate();
    wrapped.close();
    return copy;
  }
}
