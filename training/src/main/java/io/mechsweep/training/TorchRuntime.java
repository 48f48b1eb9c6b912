package io.mechsweep.training;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Loads DJL's PyTorch engine offline (natives from the Maven jar) and sets its CPU threads. */
public final class TorchRuntime {
  private TorchRuntime() {}

  /** @param cpuThreads intra-op threads for libtorch on CPU; process-wide, so one value per JVM */
  public static Engine init(int cpuThreads) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true"); // never download at run time
    }
    FlushDenormals.enableOnThisThread(); // before libtorch creates this thread's OpenMP workers
    Engine engine = Engine.getEngine("PyTorch");
    if (cpuThreads > 0 && JniUtils.getNumThreads() != cpuThreads) {
      JniUtils.setNumThreads(cpuThreads);
    }
    return engine;
  }
}
