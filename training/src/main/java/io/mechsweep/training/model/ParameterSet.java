package io.mechsweep.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.Tensors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors of a pack, each with the pack dimension K first and rank 3 ({@code (K, a, b)}),
 * so per-member scalars shaped {@code (K,1,1)} broadcast against every one of them.
 *
 * <p>Names are stable addresses ({@code blocks.0.attn.q}) shared by checkpoints, probes and the
 * PyTorch reference script.
 */
public final class ParameterSet {
  private final Map<String, NDArray> tensors;

  public ParameterSet(Map<String, NDArray> tensors) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  public NDArray get(String name) {
    NDArray t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter " + name + "; have " + tensors.keySet());
    }
    return t;
  }

  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  public Map<String, NDArray> asMap() {
    return tensors;
  }

  public List<String> names() {
    return new ArrayList<>(tensors.keySet());
  }

  public long packSize() {
    return tensors.values().iterator().next().getShape().get(0);
  }

  /** Member {@code k}'s tensors (leading dimension 1), copied into {@code manager}. */
  public NDList member(int k, NDManager manager) {
    NDList out = new NDList();
    tensors.forEach(
        (name, t) -> {
          try (NDArray view = t.get(k + ":" + (k + 1))) { // Tensors.floats already copies to host
            NDArray copy = Tensors.of(manager, Tensors.floats(view), view.getShape());
            copy.setName(name);
            out.add(copy);
          }
        });
    return out;
  }

  /** Stacks per-member lists (each with leading dimension 1) into pack tensors. */
  public static ParameterSet stack(List<NDList> members, NDManager manager) {
    Map<String, NDArray> stacked = new LinkedHashMap<>();
    NDList first = members.get(0);
    for (int i = 0; i < first.size(); i++) {
      String name = first.get(i).getName();
      NDList parts = new NDList();
      for (NDList m : members) {
        NDArray part = m.get(name);
        if (part == null) {
          throw new IllegalArgumentException("member is missing parameter " + name);
        }
        parts.add(part.toDevice(manager.getDevice(), false));
      }
      NDArray t = ai.djl.ndarray.NDArrays.concat(parts, 0);
      t.attach(manager);
      t.setName(name);
      stacked.put(name, t);
    }
    return new ParameterSet(stacked);
  }

  public static byte[] encode(NDList list) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    list.encode(out, NDList.Encoding.NPZ);
    return out.toByteArray();
  }

  public static NDList decode(byte[] npz, NDManager manager) {
    return NDList.decode(manager, new ByteArrayInputStream(npz));
  }
}
