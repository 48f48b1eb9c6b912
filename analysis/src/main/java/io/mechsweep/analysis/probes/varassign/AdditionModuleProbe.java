package io.mechsweep.analysis.probes.varassign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Activation;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.datagen.varassign.VarAssignRules;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterSet;
import java.util.List;

/**
 * {@value VarAssignProbes#ADDITION_MODULE}: whether the last block adds two numbers on its own,
 * read off the weights for all P × P pairs of number embeddings (no sequences).
 */
final class AdditionModuleProbe {
  private static final int P = VarAssignRules.P;

  private AdditionModuleProbe() {}

  /** The addition-module rows: one batched pass of all 59 × 59 pairs through the last block's OV, MLP and the unembedding. */
  static List<ProbeRow> rows(String runId, int step, PackedTransformer model) {
    ModelConfig c = model.config();
    ParameterSet p = model.params();
    int last = c.depth() - 1;
    int d = c.dModel();
    float[] mlpOnly;
    float[] withResidual;
    Autograd.record(false);
    try (NDScope scope = new NDScope()) { // frees every intermediate
      NDArray numbers = p.get(Names.TOKEN_EMBEDDING).get(":, 0:" + P + ", :"); // (1,P,d)
      NDArray ov = p.get(Names.attnV(last)).matMul(p.get(Names.attnO(last))); // (1,d,d), heads summed
      NDArray x = numbers.matMul(ov); // (1,P,d)
      NDArray h = x.reshape(1, P, 1, d).add(x.reshape(1, 1, P, d)).reshape(1, (long) P * P, d); // row a·P+b
      NDArray mlp = c.hasMlp(last)
          ? Activation.relu(h.matMul(p.get(Names.mlpIn(last)))).matMul(p.get(Names.mlpOut(last)))
          : h.zerosLike(); // (1,P²,d)
      mlpOnly = Tensors.floats(unembed(c, p, mlp)); // (1,P²,C)
      withResidual = Tensors.floats(unembed(c, p, h.add(mlp)));
    }
    int classes = mlpOnly.length / (P * P);
    return List.of(
        new ProbeRow(runId, step, VarAssignProbes.ADDITION_MODULE, null, last, null, null, ProbeRow.ALL,
            additionAccuracy(mlpOnly, classes)),
        new ProbeRow(runId, step, VarAssignProbes.ADDITION_MODULE, null, last, null, null, VarAssignProbes.WITH_RESIDUAL,
            additionAccuracy(withResidual, classes)));
  }

  private static NDArray unembed(ModelConfig c, ParameterSet p, NDArray x) {
    NDArray logits = x.matMul(p.get(Names.UNEMBED));
    return c.outputBias() ? logits.add(p.get(Names.UNEMBED_BIAS)) : logits;
  }

  /** Fraction of the P² logit rows (pair a·P+b) whose argmax (first maximum) is (a+b) mod P. */
  static double additionAccuracy(float[] logits, int classes) {
    int correct = 0;
    for (int a = 0; a < P; a++) {
      for (int b = 0; b < P; b++) {
        if (argmax(logits, (a * P + b) * classes, classes) == VarAssignRules.label(a, b)) {
          correct++;
        }
      }
    }
    return correct / (double) (P * P);
  }

  private static int argmax(float[] a, int offset, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (a[offset + i] > a[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
