package io.mechsweep.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.ParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with per-member learning rate and weight decay, written on NDArrays so its state
 * (first and second moments, step count) can be checkpointed and resumed exactly.
 *
 * <p>Same arithmetic as {@code torch.optim.AdamW}: decoupled decay {@code p ← p(1 − lr·wd)},
 * then {@code p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)}.
 *
 * <p>The trainable parameters' moments live in one {@link FlatLayout pack buffer}, so the moment
 * arithmetic is a handful of tensor operations per step, whatever the number of parameters; only
 * flattening the gradients and writing the update back touch each parameter. The per-member
 * hyper-parameters go to the device as {@code (K,1,1)} tensors, and nothing is read back.
 */
public final class AdamW {
  /** Checkpoint names of the moments: {@code m.<param>} and {@code v.<param>}, as every run has written them. */
  public static final String FIRST_MOMENT = "m.";
  public static final String SECOND_MOMENT = "v.";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final Shape memberShape;
  /** Every parameter's moments until the first update; after it, only the frozen ones' (zeros). */
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  /** The trainable parameters' moments, made at the first update from the parameters it got gradients for. */
  private FlatLayout layout;
  private NDArray flatM;
  private NDArray flatV;
  /** The constants of every step, made once (the f64 scalars DJL would make from the doubles each time). */
  private NDArray beta1T;
  private NDArray oneMinusBeta1T;
  private NDArray beta2T;
  private NDArray oneMinusBeta2T;
  private NDArray epsT;
  private int step;

  public AdamW(ParameterSet params, double beta1, double beta2, double eps) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    params.asMap().forEach(
        (name, p) -> {
          m.put(name, p.zerosLike());
          v.put(name, p.zerosLike());
          shapes.put(name, p.getShape());
        });
    this.memberShape = new Shape(params.packSize(), 1, 1);
  }

  /** Updates done so far (the bias-correction exponent of the next update minus one). */
  public int step() {
    return step;
  }

  /**
   * One update with {@code grads} (one per trainable parameter; a parameter without one is frozen:
   * like a torch parameter outside the optimizer, it gets no decay either). Runs with gradient
   * recording off; {@code lr} and {@code weightDecay} hold one value per member.
   */
  public void update(ParameterSet params, Map<String, NDArray> grads, float[] lr, float[] weightDecay) {
    step(params, grads, lr, weightDecay, 0, false);
  }

  /**
   * Per-member gradient clipping to {@code clipNorm} (≤ 0: none, as {@link GradientClipping}),
   * then one update. The gradients themselves are left as they are (the step works on a copy).
   *
   * @return each member's gradient norm before clipping, {@code (K,)}, left on the device
   */
  public NDArray update(
      ParameterSet params, Map<String, NDArray> grads, float[] lr, float[] weightDecay, double clipNorm) {
    return step(params, grads, lr, weightDecay, clipNorm, true);
  }

  private NDArray step(ParameterSet params, Map<String, NDArray> grads, float[] lr, float[] weightDecay,
      double clipNorm, boolean withNorms) {
    ensureLayout(params, grads);
    NDArray g = layout.flatten(grads); // (K,1,N), a copy of its own: scaled in place below
    NDArray norms = withNorms ? GradientClipping.clipFlat(g, clipNorm) : null;
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    int k = lr.length;
    float[] decay = new float[k];
    float[] stepSize = new float[k];
    for (int i = 0; i < k; i++) {
      decay[i] = (float) (1 - (double) lr[i] * weightDecay[i]);
      stepSize[i] = (float) (lr[i] / bc1);
    }
    NDManager manager = flatM.getManager();
    try (NDArray decayK = Tensors.of(manager, decay, memberShape);
        NDArray stepK = Tensors.of(manager, stepSize, memberShape)) {
      // Element by element the operations of the per-tensor form, so the numbers are the same bits.
      try (NDArray scaled = g.mul(oneMinusBeta1T)) {
        flatM.muli(beta1T).addi(scaled);
      }
      try (NDArray squared = g.square()) {
        flatV.muli(beta2T).addi(squared.muli(oneMinusBeta2T));
      }
      NDArray delta;
      try (NDArray denom = flatV.sqrt()) {
        denom.divi(bc2Sqrt).addi(epsT);
        delta = flatM.div(denom);
      }
      try (delta) {
        layout.apply(params, delta.muli(stepK), decayK);
      }
    }
    return norms;
  }

  /** The flat moments, laid out at the first update; later updates must bring the same gradients. */
  private void ensureLayout(ParameterSet params, Map<String, NDArray> grads) {
    if (layout != null) {
      layout.check(grads);
      return;
    }
    layout = FlatLayout.of(params, grads.keySet());
    flatM = layout.concat(m);
    flatV = layout.concat(v);
    for (String name : layout.names()) { // their values now live in the flat buffers
      m.remove(name).close();
      v.remove(name).close();
    }
    NDManager manager = flatM.getManager();
    beta1T = scalar(manager, beta1);
    oneMinusBeta1T = scalar(manager, 1 - beta1);
    beta2T = scalar(manager, beta2);
    oneMinusBeta2T = scalar(manager, 1 - beta2);
    epsT = scalar(manager, eps);
    // Made during a step, they outlive it: out of the step's scope, which would free them.
    NDScope.unregister(flatM, flatV, beta1T, oneMinusBeta1T, beta2T, oneMinusBeta2T, epsT);
  }

  /** A 0-d float64 tensor in memory libtorch owns: what {@code muli(double)} makes and frees each call. */
  private static NDArray scalar(NDManager manager, double value) {
    try (NDArray wrapped = manager.create(value)) {
      return wrapped.duplicate();
    }
  }

  /**
   * The moments under their checkpoint names ({@link #FIRST_MOMENT}, then {@link #SECOND_MOMENT},
   * each in parameter order), pack-shaped, attached to {@code into}: views of the state, valid
   * until the next update.
   */
  public Map<String, NDArray> state(NDManager into) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String prefix : new String[] {FIRST_MOMENT, SECOND_MOMENT}) {
      Map<String, NDArray> perName = prefix.equals(FIRST_MOMENT) ? m : v;
      NDArray flat = prefix.equals(FIRST_MOMENT) ? flatM : flatV;
      for (String name : shapes.keySet()) {
        // A new view either way: attaching it elsewhere must not move the state itself.
        NDArray t = perName.containsKey(name) ? perName.get(name).reshape(shapes.get(name)) : slice(flat, name);
        t.attach(into);
        out.put(prefix + name, t);
      }
    }
    return out;
  }

  private NDArray slice(NDArray flat, String name) {
    long from = layout.offset(name);
    Shape shape = shapes.get(name);
    try (NDArray view = flat.get(new NDIndex(":, :, {}:{}", from, from + shape.size() / shape.get(0)))) {
      return view.reshape(shape);
    }
  }

  /**
   * Restores the state from tensors named as {@link #state} names them (pack-shaped, copied in)
   * and the step count. Only before the first update: a resumed pack restores, then trains.
   */
  public void restore(Map<String, NDArray> named, int steps) {
    if (layout != null) {
      throw new IllegalStateException("AdamW state is restored before its first update, not after " + step);
    }
    m.forEach((name, t) -> t.set(Tensors.floats(stateTensor(named, FIRST_MOMENT + name))));
    v.forEach((name, t) -> t.set(Tensors.floats(stateTensor(named, SECOND_MOMENT + name))));
    this.step = steps;
  }

  private static NDArray stateTensor(Map<String, NDArray> named, String name) {
    NDArray t = named.get(name);
    if (t == null) {
      throw new IllegalArgumentException("the optimizer state has no " + name + "; it has " + named.keySet());
    }
    return t;
  }

  /** Whether {@code name} is a name {@link #state} gives a tensor. */
  public static boolean isStateName(String name) {
    return name.startsWith(FIRST_MOMENT) || name.startsWith(SECOND_MOMENT);
  }
}
