package io.mechsweep.training;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.mechsweep.training.model.ParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thread-confined autograd on libtorch.
 *
 * <p>DJL's {@code PtGradientCollector} keeps a JVM-wide static flag, so two Spark tasks training
 * in one executor JVM would collide. libtorch's grad mode is thread-local, so switching it per
 * thread and calling backward directly lets concurrent tasks train independently. A new thread
 * starts with recording on, so every phase sets it explicitly.
 */
public final class Autograd {
  private Autograd() {}

  /** Turns graph recording on or off for the calling thread. */
  public static void record(boolean on) {
    JniUtils.setGradMode(on);
  }

  /** d(loss)/d(leaf) accumulated into every leaf that requires a gradient. */
  public static void backward(NDArray loss) {
    try (NDArray seed = loss.onesLike()) {
      JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }
  }

  /** Gradients of the trainable parameters; frozen ones (no gradient required) are absent. */
  public static Map<String, NDArray> gradients(ParameterSet params) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    params.asMap().forEach(
        (name, p) -> {
          if (p.hasGradient()) {
            grads.put(name, p.getGradient());
          }
        });
    return grads;
  }

  public static void zeroGradients(ParameterSet params) {
    params.asMap().values().stream().filter(NDArray::hasGradient).forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
  }
}
