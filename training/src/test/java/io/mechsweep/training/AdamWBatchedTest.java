package io.mechsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pack-wide AdamW (flat moments, clipping on the flat gradients) against a float64 reference
 * written out per element, and against the per-tensor NDArray form it replaced.
 */
class AdamWBatchedTest {
  private static final int K = 3;
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-8;
  /** Shapes per member: several tensors of different sizes, one frozen (it gets no gradient). */
  private static final Map<String, int[]> SHAPES = new LinkedHashMap<>();

  static {
    SHAPES.put("emb", new int[] {7, 5});
    SHAPES.put("frozen", new int[] {4, 4});
    SHAPES.put("w", new int[] {5, 6});
    SHAPES.put("b", new int[] {1, 6});
  }

  private final float[] lr = {3e-2f, 1e-2f, 5e-3f};
  private final float[] wd = {0.1f, 0f, 0.3f};
  private Random random;

  @BeforeEach
  void seed() {
    random = new Random(27);
    try (NDManager loadsTheEngine = NDManager.newBaseManager()) {
      Autograd.record(false); // as a step's update runs
    }
  }

  private float[] draw(int n, double scale) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * scale);
    }
    return out;
  }

  private static int size(String name) {
    return SHAPES.get(name)[0] * SHAPES.get(name)[1];
  }

  private static Shape shape(String name) {
    return new Shape(K, SHAPES.get(name)[0], SHAPES.get(name)[1]);
  }

  private Map<String, float[]> initial() {
    Map<String, float[]> out = new LinkedHashMap<>();
    SHAPES.keySet().forEach(n -> out.put(n, draw(K * size(n), 1.0)));
    return out;
  }

  /** Gradients of every trainable tensor; member 0's are large (clipped), the others' small. */
  private Map<String, float[]> gradients() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String n : SHAPES.keySet()) {
      if (!n.equals("frozen")) {
        float[] g = draw(K * size(n), 0.1);
        for (int i = 0; i < size(n); i++) {
          g[i] *= 40; // member 0
        }
        out.put(n, g);
      }
    }
    return out;
  }

  private static ParameterSet tensors(Map<String, float[]> values, NDManager m) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    values.forEach((n, v) -> out.put(n, Tensors.of(m, v, shape(n))));
    return new ParameterSet(out);
  }

  /** torch's clip_grad_norm_ then AdamW, per member, in float64. Returns the norms before clipping. */
  private double[] reference(Map<String, double[]> p, Map<String, double[]> mm, Map<String, double[]> vv,
      Map<String, float[]> grads, int t, double clip) {
    double[] norms = new double[K];
    for (int k = 0; k < K; k++) {
      double sumSq = 0;
      for (Map.Entry<String, float[]> e : grads.entrySet()) {
        int n = size(e.getKey());
        for (int i = k * n; i < (k + 1) * n; i++) {
          sumSq += (double) e.getValue()[i] * e.getValue()[i];
        }
      }
      norms[k] = Math.sqrt(sumSq);
    }
    for (Map.Entry<String, float[]> e : grads.entrySet()) {
      String name = e.getKey();
      int n = size(name);
      for (int i = 0; i < K * n; i++) {
        int k = i / n;
        double coef = clip > 0 ? Math.min(1, clip / (norms[k] + 1e-6)) : 1;
        double g = e.getValue()[i] * coef;
        double[] pi = p.get(name);
        pi[i] *= 1 - (double) lr[k] * wd[k];
        mm.get(name)[i] = B1 * mm.get(name)[i] + (1 - B1) * g;
        vv.get(name)[i] = B2 * vv.get(name)[i] + (1 - B2) * g * g;
        double mHat = mm.get(name)[i] / (1 - Math.pow(B1, t));
        double vHat = vv.get(name)[i] / (1 - Math.pow(B2, t));
        pi[i] -= lr[k] * mHat / (Math.sqrt(vHat) + EPS);
      }
    }
    return norms;
  }

  @Test
  void fiveClippedUpdatesMatchAFloat64ReferencePerMember() {
    double clip = 1.0;
    Map<String, float[]> init = initial();
    Map<String, double[]> p = new LinkedHashMap<>();
    Map<String, double[]> mm = new LinkedHashMap<>();
    Map<String, double[]> vv = new LinkedHashMap<>();
    init.forEach((n, v) -> {
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      p.put(n, d);
      mm.put(n, new double[v.length]);
      vv.put(n, new double[v.length]);
    });
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterSet params = tensors(init, m);
      AdamW adam = new AdamW(params, B1, B2, EPS);
      for (int t = 1; t <= 5; t++) {
        Map<String, float[]> g = gradients();
        double[] expectedNorms = reference(p, mm, vv, g, t, clip);
        float[] norms;
        try (NDScope scope = new NDScope()) { // as a training step runs it: the state must outlive the scope
          norms = Tensors.floats(adam.update(params, tensors(g, m).asMap(), lr, wd, clip));
        }
        for (int k = 0; k < K; k++) {
          assertThat(relative(norms[k], expectedNorms[k])).as("step %d member %d norm", t, k).isLessThan(1e-6);
        }
        assertThat(expectedNorms[0]).as("member 0 is clipped").isGreaterThan(clip);
        assertThat(expectedNorms[1]).as("member 1 is not").isLessThan(clip);
      }
      for (String name : SHAPES.keySet()) {
        float[] got = Tensors.floats(params.get(name));
        for (int i = 0; i < got.length; i++) {
          assertThat(relative(got[i], p.get(name)[i])).as("%s[%d]", name, i).isLessThan(1e-6);
        }
      }
      assertThat(Tensors.floats(params.get("frozen"))).as("frozen: no update, no decay").isEqualTo(init.get("frozen"));
      Map<String, NDArray> state = adam.state(m);
      for (String name : List.of("emb", "w", "b")) {
        float[] first = Tensors.floats(state.get("m." + name));
        float[] second = Tensors.floats(state.get("v." + name));
        // Relative to the tensor's scale: a first moment is a sum of signed terms, so one element
        // can cancel to near 0, where float32's rounding of the terms is all that is left.
        double mScale = maxAbs(mm.get(name));
        double vScale = maxAbs(vv.get(name));
        for (int i = 0; i < first.length; i++) {
          assertThat(Math.abs(first[i] - mm.get(name)[i]) / mScale).as("m.%s[%d]", name, i).isLessThan(1e-6);
          assertThat(Math.abs(second[i] - vv.get(name)[i]) / vScale).as("v.%s[%d]", name, i).isLessThan(1e-6);
        }
      }
      assertThat(adam.step()).isEqualTo(5);
    }
  }

  private static double maxAbs(double[] values) {
    double max = 0;
    for (double x : values) {
      max = Math.max(max, Math.abs(x));
    }
    return max;
  }

  private static double relative(double got, double expected) {
    return Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-6);
  }

  @Test
  void withoutClippingItComputesTheBitsOfThePerTensorForm() {
    Map<String, float[]> init = initial();
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterSet batched = tensors(init, m);
      ParameterSet perTensor = tensors(init, m);
      AdamW adam = new AdamW(batched, B1, B2, EPS);
      PerTensorAdamW old = new PerTensorAdamW(perTensor);
      for (int t = 1; t <= 4; t++) {
        Map<String, float[]> g = gradients();
        adam.update(batched, tensors(g, m).asMap(), lr, wd);
        old.update(perTensor, tensors(g, m).asMap(), lr, wd, t);
      }
      for (String name : SHAPES.keySet()) {
        assertThat(Tensors.floats(batched.get(name))).as(name).isEqualTo(Tensors.floats(perTensor.get(name)));
      }
    }
  }

  @Test
  void itsStateKeepsTheCheckpointNamesAndResumesToTheSameNumbers() {
    Map<String, float[]> init = initial();
    List<Map<String, float[]>> grads = List.of(gradients(), gradients(), gradients(), gradients());
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterSet straight = tensors(init, m);
      AdamW adam = new AdamW(straight, B1, B2, EPS);
      for (Map<String, float[]> g : grads) {
        adam.update(straight, tensors(g, m).asMap(), lr, wd, 1.0);
      }
      ParameterSet resumed = tensors(init, m);
      AdamW first = new AdamW(resumed, B1, B2, EPS);
      for (Map<String, float[]> g : grads.subList(0, 2)) {
        first.update(resumed, tensors(g, m).asMap(), lr, wd, 1.0);
      }
      Map<String, NDArray> state = first.state(m);
      assertThat(state.keySet()).containsExactly("m.emb", "m.frozen", "m.w", "m.b", "v.emb", "v.frozen", "v.w", "v.b");
      assertThat(state.values()).allMatch(t -> t.getShape().get(0) == K);
      assertThat(Tensors.floats(state.get("m.frozen"))).containsOnly(0f);
      AdamW second = new AdamW(resumed, B1, B2, EPS);
      second.restore(state, first.step());
      for (Map<String, float[]> g : grads.subList(2, 4)) {
        second.update(resumed, tensors(g, m).asMap(), lr, wd, 1.0);
      }
      for (String name : SHAPES.keySet()) {
        assertThat(Tensors.floats(resumed.get(name))).as(name).isEqualTo(Tensors.floats(straight.get(name)));
      }
      assertThatThrownBy(() -> second.restore(state, 2)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> second.update(resumed, Map.of("w", resumed.get("w")), lr, wd))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("laid out for gradients of");
    }
  }

  /** The per-tensor AdamW this module had before the pack-wide one, kept as the reference of its bits. */
  private static final class PerTensorAdamW {
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();

    PerTensorAdamW(ParameterSet params) {
      params.asMap().forEach((name, p) -> {
        m.put(name, p.zerosLike());
        v.put(name, p.zerosLike());
      });
    }

    void update(ParameterSet params, Map<String, NDArray> grads, float[] lr, float[] weightDecay, int step) {
      double bc1 = 1 - Math.pow(B1, step);
      double bc2Sqrt = Math.sqrt(1 - Math.pow(B2, step));
      NDManager manager = params.asMap().values().iterator().next().getManager();
      float[] decay = new float[K];
      float[] stepSize = new float[K];
      for (int i = 0; i < K; i++) {
        decay[i] = (float) (1 - (double) lr[i] * weightDecay[i]);
        stepSize[i] = (float) (lr[i] / bc1);
      }
      NDArray decayK = Tensors.of(manager, decay, new Shape(K, 1, 1));
      NDArray stepK = Tensors.of(manager, stepSize, new Shape(K, 1, 1));
      for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
        NDArray g = grads.get(e.getKey());
        if (g == null) {
          continue;
        }
        NDArray p = e.getValue();
        NDArray mi = m.get(e.getKey());
        NDArray vi = v.get(e.getKey());
        mi.muli(B1).addi(g.mul(1 - B1));
        vi.muli(B2).addi(g.square().muli(1 - B2));
        NDArray denom = vi.sqrt().divi(bc2Sqrt).addi(EPS);
        p.muli(decayK);
        p.subi(mi.div(denom).muli(stepK));
      }
    }
  }
}
