package io.mechsweep.training.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.ParameterLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Initialization from another run's checkpoint: the encoder (embeddings, blocks, final norm) is
 * copied, the output head stays freshly drawn, since a pretrained encoder usually comes with
 * another task's head (a masked-LM's vocabulary, a LEGO's two classes). With
 * {@link SourceCheckpoint#blocksOnly} the embeddings are drawn too: the source read other tokens.
 */
public final class EncoderInit {
  private EncoderInit() {}

  /** Whether a parameter belongs to the encoder (everything but the unembedding). */
  public static boolean isEncoder(String name) {
    return !name.startsWith("unembed.");
  }

  /** What a checkpoint gives: the encoder, or without the embeddings when {@code blocksOnly}. */
  static boolean isCopied(String name, boolean blocksOnly) {
    return isEncoder(name) && !(blocksOnly && name.startsWith("embed."));
  }

  /**
   * {@code drawn} (the model's parameters, by name) with every encoder parameter replaced by the
   * checkpoint's.
   *
   * @param source the checkpoint's parameters, each {@code (1, rows, cols)}
   * @throws IllegalArgumentException naming every encoder parameter whose shape differs, that the
   *     checkpoint lacks, or that only the checkpoint has
   */
  public static Map<String, float[]> apply(
      ModelConfig model, Map<String, float[]> drawn, NDList source, SourceCheckpoint ref) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (ParameterLayout.Entry e : ParameterLayout.of(model)) {
      shapes.put(e.name(), new Shape(1, e.rows(), e.cols()));
    }
    Map<String, NDArray> byName = new LinkedHashMap<>();
    for (NDArray t : source) {
      byName.put(t.getName(), t);
    }
    List<String> problems = new ArrayList<>();
    for (String name : drawn.keySet()) {
      if (!isCopied(name, ref.blocksOnly())) {
        continue;
      }
      NDArray t = byName.get(name);
      if (t == null) {
        problems.add(name + " (missing in the checkpoint)");
      } else if (!t.getShape().equals(shapes.get(name))) {
        problems.add(name + " (model " + dims(shapes.get(name)) + ", checkpoint " + dims(t.getShape()) + ")");
      }
    }
    for (String name : new TreeSet<>(byName.keySet())) {
      if (isCopied(name, ref.blocksOnly()) && !drawn.containsKey(name)) {
        problems.add(name + " (only in the checkpoint)");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("cannot initialize from checkpoint " + ref
          + ": its encoder does not match the model's: " + String.join(", ", problems));
    }
    Map<String, float[]> out = new LinkedHashMap<>(drawn);
    byName.forEach((name, t) -> {
      if (isCopied(name, ref.blocksOnly())) {
        out.put(name, Tensors.floats(t));
      }
    });
    return out;
  }

  private static String dims(Shape s) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < s.dimension(); i++) { // the leading 1 is the pack dimension
      out.append(out.isEmpty() ? "" : "×").append(s.get(i));
    }
    return out.toString();
  }
}
