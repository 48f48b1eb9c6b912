package io.mechsweep.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.model.ParameterSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trainable parameters of a pack laid end to end per member: tensor {@code (K, a, b)} takes
 * {@code a·b} columns of a {@code (K, 1, N)} buffer, in parameter order. The middle axis of 1 lets
 * the per-member {@code (K,1,1)} hyper-parameters broadcast against the buffer and the parameters
 * alike.
 */
final class FlatLayout {
  private final List<String> names;
  private final Map<String, Long> offsets;
  private final Map<String, Shape> shapes;
  private final long packSize;

  private FlatLayout(List<String> names, Map<String, Long> offsets, Map<String, Shape> shapes, long packSize) {
    this.names = names;
    this.offsets = offsets;
    this.shapes = shapes;
    this.packSize = packSize;
  }

  /** The parameters among {@code params} named in {@code trainable}, in the parameters' order. */
  static FlatLayout of(ParameterSet params, Set<String> trainable) {
    List<String> names = new ArrayList<>();
    Map<String, Long> offsets = new LinkedHashMap<>();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    long k = params.packSize();
    long width = 0;
    for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
      if (trainable.contains(e.getKey())) {
        names.add(e.getKey());
        offsets.put(e.getKey(), width);
        shapes.put(e.getKey(), e.getValue().getShape());
        width += e.getValue().getShape().size() / k;
      }
    }
    if (names.size() != trainable.size() || names.isEmpty()) {
      throw new IllegalArgumentException("gradients for " + trainable + " do not match the parameters "
          + params.names());
    }
    return new FlatLayout(List.copyOf(names), offsets, shapes, k);
  }

  List<String> names() {
    return names;
  }

  long offset(String name) {
    return offsets.get(name);
  }

  /** The same parameters as when laid out: the buffers' columns mean what they meant. */
  void check(Map<String, NDArray> grads) {
    if (grads.size() != names.size() || !grads.keySet().containsAll(names)) {
      throw new IllegalArgumentException("the optimizer was laid out for gradients of " + names + ", got "
          + grads.keySet());
    }
  }

  /** {@code tensors} (pack-shaped, by name) in one new {@code (K,1,N)} buffer. */
  NDArray concat(Map<String, NDArray> tensors) {
    NDList rows = new NDList(names.size());
    for (String name : names) {
      // A view: no copy until the concatenation. The width given, not -1: inferring it costs a JNI call.
      rows.add(tensors.get(name).reshape(packSize, 1, shapes.get(name).size() / packSize));
    }
    NDArray flat = NDArrays.concat(rows, 2);
    rows.close();
    return flat;
  }

  NDArray flatten(Map<String, NDArray> grads) {
    return concat(grads);
  }

  /**
   * {@code p ← p·decay − delta} for every parameter, {@code delta} its columns of the update and
   * {@code decay} {@code (K,1,1)}: the two in-place operations of the per-tensor form, in its order.
   */
  void apply(ParameterSet params, NDArray delta, NDArray decay) {
    long[] splits = new long[names.size() - 1];
    for (int i = 1; i < names.size(); i++) {
      splits[i - 1] = offsets.get(names.get(i));
    }
    NDList pieces = delta.split(splits, 2); // views, one per parameter
    try {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        try (NDArray update = pieces.get(i).reshape(shapes.get(name))) {
          params.get(name).muli(decay).subi(update);
        }
      }
    } finally {
      if (names.size() > 1) { // one parameter: split hands back delta itself, which the caller closes
        pieces.close();
      }
    }
  }
}
