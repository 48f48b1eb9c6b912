package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.optim.AdamW;
import io.mechsweep.training.optim.GradientClipping;
import io.mechsweep.training.optim.LrSchedule;
import io.mechsweep.training.model.ParameterSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
  @Test
  void threeUpdatesMatchTheFormulaPerMember() {
    double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    float[] lr = {1e-2f, 3e-3f};
    float[] wd = {0.1f, 0f};
    float[] p0 = {0.5f, -1f, 2f, 0.25f, 1f, -0.5f}; // member 0: first 3, member 1: last 3
    float[][] grads = {{0.1f, -0.2f, 0.3f, 1f, 0f, -2f}, {0.05f, 0.1f, -0.3f, -1f, 0.5f, 0f},
        {-0.2f, 0.2f, 0.1f, 0.3f, -0.1f, 1f}};
    try (NDManager m = NDManager.newBaseManager()) {
      Autograd.record(false);
      NDArray param = Tensors.of(m, p0, new Shape(2, 1, 3));
      ParameterSet params = new ParameterSet(Map.of("w", param));
      AdamW adam = new AdamW(params, b1, b2, eps);
      double[] p = new double[6], mm = new double[6], vv = new double[6];
      for (int i = 0; i < 6; i++) p[i] = p0[i];
      for (int t = 1; t <= 3; t++) {
        float[] g = grads[t - 1];
        adam.update(params, Map.of("w", Tensors.of(m, g, new Shape(2, 1, 3))), lr, wd);
        for (int i = 0; i < 6; i++) {
          int k = i / 3;
          p[i] *= 1 - lr[k] * wd[k];
          mm[i] = b1 * mm[i] + (1 - b1) * g[i];
          vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
          double mHat = mm[i] / (1 - Math.pow(b1, t));
          double vHat = vv[i] / (1 - Math.pow(b2, t));
          p[i] -= lr[k] * mHat / (Math.sqrt(vHat) + eps);
        }
      }
      float[] got = Tensors.floats(param);
      for (int i = 0; i < 6; i++) {
        assertThat((double) got[i]).as("element %d", i).isCloseTo(p[i], within(1e-6));
      }
      assertThat(adam.step()).isEqualTo(3);
    }
  }

  @Test
  void clippingScalesEachMemberToTheMaxNorm() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray g = Tensors.of(m, new float[] {3, 4, 0.3f, 0.4f}, new Shape(2, 1, 2));
      float[] norms = Tensors.floats(GradientClipping.clip(Map.of("g", g), 1.0, 2));
      assertThat(norms[0]).isCloseTo(5f, within(1e-5f));
      assertThat(norms[1]).isCloseTo(0.5f, within(1e-5f));
      assertThat(Tensors.floats(g)).containsExactly(new float[] {0.6f, 0.8f, 0.3f, 0.4f}, within(1e-5f));
    }
  }

  @Test
  void warmupThenCosine() {
    LrSchedule s = new LrSchedule(10, 110, 1e-5, 2e-5);
    assertThat(s.at(0, 1e-3)).isEqualTo(1e-5);
    assertThat(s.at(5, 1e-3)).isCloseTo((1e-5 + 1e-3) / 2, within(1e-12));
    assertThat(s.at(10, 1e-3)).isCloseTo(1e-3, within(1e-12));
    assertThat(s.at(60, 1e-3)).isCloseTo(2e-5 + 0.5 * (1e-3 - 2e-5), within(1e-12));
    assertThat(s.at(110, 1e-3)).isCloseTo(2e-5, within(1e-12));
  }
}
