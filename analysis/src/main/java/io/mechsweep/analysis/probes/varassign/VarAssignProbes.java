package io.mechsweep.analysis.probes.varassign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.MatrixComplexity;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.probes.WeightMatrix;
import io.mechsweep.datagen.varassign.VarAssignExample;
import io.mechsweep.datagen.varassign.VarAssignRules;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.PackedTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The varassign study's progress measures (TASKS.md, Study 2, "Probes"), after the public code's
 * {@code progress_measures.py} and {@code exploration_composition.py} (bexoo/assign-and-add).
 * Layers are 0-based here: the paper's "layer 1" is layer 0, its "layer 2" is layer 1 (the
 * last block, the only one with an MLP).
 *
 * <ul>
 *   <li>{@value #ADDITION_MODULE} (weights only, last layer, no probe set): for every ordered
 *       pair (a, b) of numbers, h = E[a]·W_V·W_O + E[b]·W_V·W_O of the last block, pushed
 *       through its MLP and the unembedding; the fraction whose argmax is (a + b) mod 59.
 *       Bucket {@code all}: the MLP output alone, {@code MLP(h)·W_U}, exactly as the public code's
 *       {@code compute_ov1_mlp1_accuracy} ({@code logits = mlp_out @ W_U}: the residual is not
 *       kept), so the curve compares with the paper's. Bucket {@value #WITH_RESIDUAL}:
 *       {@code (h + MLP(h))·W_U}, the residual kept as in the real forward pass (it differs when
 *       the attention output itself writes to the logits).
 *   <li>{@value #PREV_TOKEN_BINDING} (layer 0): fraction of prefix value tokens (a number at
 *       prefix position p whose token p−1 is a variable) whose layer-0 attention argmax is p−1.
 *       Public code: {@code compute_attn_l0_num_to_prev}.
 *   <li>{@value #EQ_ATTENTION_OPERANDS} (layer 0): fraction of sequences whose two largest
 *       layer-0 attention weights from '=' are the operand positions 13 and 14
 *       ({@code compute_attn_l0_equal_to_operands}).
 *   <li>{@value #EQ_ATTENTION_VALUES} (last layer): fraction of sequences whose two largest
 *       attention weights from '=' are the two value positions: the value token of a variable
 *       operand's assignment, and for a number operand its own position 13 or 14 — the number is
 *       right there, and the public code's {@code compute_attn_l1_equal_to_values} uses the same
 *       targets ({@code target_pos = [lhs_pos, rhs_pos]} for type 0,
 *       {@code [var_value_pos, rhs_pos]} for a left variable, …). Type 3 (both variables; the
 *       public measure has none) takes both value tokens.
 *   <li>{@value #SAME_MLP_COSINE} (last layer): cosine similarity of the last MLP's input
 *       ({@link Names#residMid} of the last block, at '=') between each via-variable sequence
 *       and its direct twin (the same tokens with n1, n2 written into positions 13/14), bucket
 *       {@value #MATCHED}, versus the direct twin of another sequence with a different label,
 *       bucket {@value #SHUFFLED}. The public code ({@code exploration_composition.py},
 *       "Analyzing pre-MLP embeddings") compares num+num with num+var sequences of a fixed
 *       template against a random permutation; the twin here keeps the whole prefix, so only
 *       the operand tokens differ, and the shuffled partner is the next via-variable sequence
 *       (cyclically) whose label differs, so the value is deterministic and never pairs equal
 *       answers.
 * </ul>
 *
 * <p>"Top-2 are the targets" and "argmax is the target" are read strictly: every target weight
 * must exceed every other weight, so ties (e.g. uniform attention) count as failures whatever
 * order a sort would give them. Attention is summed over heads first, as the public code does
 * ({@code attn.sum(dim=1)}; varassign has one head), so these rows have no head.
 *
 * <p>Denominators: the attention probes are defined on every sequence of a pool (the operand and
 * value positions always exist), so their n is the pool's size, which the caller caps; a
 * sequence whose two value positions coincide (the same variable on both sides, which the data
 * never produce) would be skipped. {@value #PREV_TOKEN_BINDING} counts value tokens (1–6 per
 * sequence). {@value #SAME_MLP_COSINE} counts the pool's via-variable sequences and has no rows
 * for a pool without any (type-0 pools). A probe with nothing to count writes no row.
 *
 * <p>Cost: one forward pass per pool over its sequences plus their direct twins, with the last
 * block run at '=' only ({@code lastOnly}: layer 0 still covers every position, and the last
 * block's pattern, output and residual at '=' are what these probes read); the addition test is
 * one batched product over the 3,481 pairs.
 */
public final class VarAssignProbes implements TaskProbes {
  public static final String ADDITION_MODULE = "addition_module";
  public static final String PREV_TOKEN_BINDING = "prev_token_binding";
  public static final String EQ_ATTENTION_OPERANDS = "eq_attention_operands";
  public static final String EQ_ATTENTION_VALUES = "eq_attention_values";
  public static final String SAME_MLP_COSINE = "same_mlp_cosine";

  /** {@value #ADDITION_MODULE} with the residual kept; {@link ProbeRow#ALL} is the MLP path alone. */
  public static final String WITH_RESIDUAL = "with_residual";
  /** {@value #SAME_MLP_COSINE}: a via-variable sequence against its own direct twin. */
  public static final String MATCHED = "matched";
  /** {@value #SAME_MLP_COSINE}: against the direct twin of a sequence with a different label. */
  public static final String SHUFFLED = "shuffled";

  /** The block that binds values to variables and gathers the operands (the paper's layer 1). */
  static final int BINDING_LAYER = 0;

  private static final int P = VarAssignRules.P;

  private final List<VarAssignProbeSet> sets;

  public VarAssignProbes(List<VarAssignProbeSet> sets) {
    this.sets = List.copyOf(sets);
  }

  /**
   * Probes over the given pools (probe set = pool name), in name order; empty pools are left
   * out. The caller caps the rows per pool.
   */
  public static VarAssignProbes of(Map<String, List<VarAssignExample>> probeSequences) {
    List<VarAssignProbeSet> sets = new ArrayList<>();
    new TreeMap<>(probeSequences).forEach((name, examples) -> {
      if (!examples.isEmpty()) {
        sets.add(VarAssignProbeSet.of(name, examples));
      }
    });
    return new VarAssignProbes(sets);
  }

  public List<VarAssignProbeSet> sets() {
    return sets;
  }

  /**
   * Numbers, variables, '+' and '=' — every token but PAD. PAD is layout filler: it carries no
   * symbol of the task and only has to be ignored, so its row would add a direction without task
   * structure to the covariance that is meant to show how numbers and variables organize.
   */
  @Override
  public Set<Integer> inputTokens() {
    Set<Integer> tokens = new TreeSet<>();
    for (int n = 0; n < P; n++) {
      tokens.add(n);
    }
    tokens.add(VarAssignRules.PLUS);
    tokens.add(VarAssignRules.EQUALS);
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      tokens.add(VarAssignRules.variableToken(v));
    }
    return tokens;
  }

  @Override
  public List<ProbeRow> probe(String runId, int step, PackedTransformer model, Map<String, WeightMatrix> weights) {
    List<ProbeRow> rows = new ArrayList<>(AdditionModuleProbe.rows(runId, step, model));
    for (VarAssignProbeSet set : sets) {
      rows.addAll(forward(runId, step, model, set));
    }
    return rows;
  }

  /** The rows of one pool: one forward pass over its sequences and their direct twins. */
  private static List<ProbeRow> forward(String runId, int step, PackedTransformer model, VarAssignProbeSet set) {
    ModelConfig c = model.config();
    NDManager manager = model.params().get(Names.TOKEN_EMBEDDING).getManager();
    int t = set.seqLen();
    int n = set.size();
    int last = c.depth() - 1;
    int[] via = viaVariable(set);
    int b = n + via.length;
    long[] ids = new long[b * t];
    for (int i = 0; i < n * t; i++) {
      ids[i] = set.tokens()[i];
    }
    for (int v = 0; v < via.length; v++) {
      int[] twin = set.directTwin(via[v]);
      for (int j = 0; j < t; j++) {
        ids[(n + v) * t + j] = twin[j];
      }
    }
    float[] attn0;
    float[] eqAttnLast;
    float[] resid;
    Autograd.record(false);
    try (NDScope scope = new NDScope()) { // frees every intermediate of the forward pass
      NDArray tokens = Tensors.of(manager, ids, new Shape(1, b, t));
      // The last block at '=' only: everything read from it is at '=' (layer 0 covers every position).
      PackedTransformer.Output out = model.forward(tokens, last > BINDING_LAYER, true);
      Map<String, NDArray> trace = out.trace();
      // Twins share their originals' prefixes, so only the originals enter the attention probes.
      attn0 = Tensors.floats(trace.get(Names.attnPattern(BINDING_LAYER)).get("0, 0:" + n)); // (n,H,T,T)
      eqAttnLast = Tensors.floats(trace.get(Names.attnPattern(last)).get("0, 0:" + n + ", :, -1, :")); // (n,H,T)
      resid = Tensors.floats(trace.get(Names.residMid(last)).get("0, :, -1, :")); // (B,d)
    }
    int heads = c.heads();
    float[] a0 = sumHeads(attn0, n, heads, t * t); // (n,T,T)
    float[] a1 = sumHeads(eqAttnLast, n, heads, t); // (n,T), from '='
    List<ProbeRow> rows = new ArrayList<>();
    addRow(rows, runId, step, PREV_TOKEN_BINDING, BINDING_LAYER, set, ProbeRow.ALL, prevTokenBinding(set, a0));
    addRow(rows, runId, step, EQ_ATTENTION_OPERANDS, BINDING_LAYER, set, ProbeRow.ALL, eqAttentionOperands(set, a0));
    addRow(rows, runId, step, EQ_ATTENTION_VALUES, last, set, ProbeRow.ALL, eqAttentionValues(set, a1));
    double[][] mlpIn = MatrixComplexity.rows(resid, b, c.dModel());
    double[][] direct = new double[via.length][];
    double[][] viaVars = new double[via.length][];
    int[] labels = new int[via.length];
    for (int v = 0; v < via.length; v++) {
      viaVars[v] = mlpIn[via[v]];
      direct[v] = mlpIn[n + v];
      labels[v] = set.label()[via[v]];
    }
    addRow(rows, runId, step, SAME_MLP_COSINE, last, set, MATCHED, matchedCosine(viaVars, direct));
    addRow(rows, runId, step, SAME_MLP_COSINE, last, set, SHUFFLED, shuffledCosine(viaVars, direct, labels));
    return rows;
  }

  /** A row unless the value is NaN (nothing to count). */
  private static void addRow(
      List<ProbeRow> rows, String runId, int step, String probe, int layer, VarAssignProbeSet set, String bucket,
      double value) {
    if (!Double.isNaN(value)) {
      rows.add(new ProbeRow(runId, step, probe, null, layer, null, set.name(), bucket, value));
    }
  }

  private static int[] viaVariable(VarAssignProbeSet set) {
    return IntStream.range(0, set.size()).filter(set::viaVariable).toArray();
  }

  /** {@code (n, H, R)} → {@code (n, R)}, summed over heads. */
  static float[] sumHeads(float[] pattern, int n, int heads, int perHead) {
    if (heads == 1) {
      return pattern;
    }
    float[] out = new float[n * perHead];
    for (int s = 0; s < n; s++) {
      for (int h = 0; h < heads; h++) {
        int base = (s * heads + h) * perHead;
        for (int i = 0; i < perHead; i++) {
          out[s * perHead + i] += pattern[base + i];
        }
      }
    }
    return out;
  }

  /**
   * {@value #PREV_TOKEN_BINDING} from head-summed layer-0 attention {@code (n, T, T)}: the
   * fraction of prefix value tokens whose attention peaks strictly at their variable; NaN when
   * the set has no value token.
   */
  static double prevTokenBinding(VarAssignProbeSet set, float[] attn) {
    int t = set.seqLen();
    long total = 0;
    long correct = 0;
    for (int s = 0; s < set.size(); s++) {
      for (int pos = 1; pos < VarAssignRules.PREFIX_LEN; pos++) {
        if (VarAssignRules.isNumber(set.token(s, pos)) && VarAssignRules.isVariable(set.token(s, pos - 1))) {
          total++;
          if (strictlyTop(attn, (s * t + pos) * t, t, pos - 1)) {
            correct++;
          }
        }
      }
    }
    return total == 0 ? Double.NaN : correct / (double) total;
  }

  /** {@value #EQ_ATTENTION_OPERANDS} from head-summed layer-0 attention {@code (n, T, T)}. */
  static double eqAttentionOperands(VarAssignProbeSet set, float[] attn) {
    int t = set.seqLen();
    int n = set.size();
    if (n == 0) {
      return Double.NaN;
    }
    int correct = 0;
    for (int s = 0; s < n; s++) {
      if (strictlyTop(attn, (s * t + VarAssignRules.EQUALS_POS) * t, t, VarAssignRules.LHS_POS, VarAssignRules.RHS_POS)) {
        correct++;
      }
    }
    return correct / (double) n;
  }

  /** {@value #EQ_ATTENTION_VALUES} from the head-summed attention rows of '=' {@code (n, T)}. */
  static double eqAttentionValues(VarAssignProbeSet set, float[] eqAttn) {
    int t = set.seqLen();
    int defined = 0;
    int correct = 0;
    for (int s = 0; s < set.size(); s++) {
      int[] targets = set.valuePositions(s);
      if (targets[0] == targets[1]) {
        continue; // one position cannot be the top two
      }
      defined++;
      if (strictlyTop(eqAttn, s * t, t, targets)) {
        correct++;
      }
    }
    return defined == 0 ? Double.NaN : correct / (double) defined;
  }

  /**
   * Whether every target entry of {@code a[offset .. offset+len)} exceeds every other entry: the
   * targets are the top-k (k = number of targets) with no tie at the boundary.
   */
  static boolean strictlyTop(float[] a, int offset, int len, int... targets) {
    float minTarget = Float.POSITIVE_INFINITY;
    for (int target : targets) {
      minTarget = Math.min(minTarget, a[offset + target]);
    }
    for (int i = 0; i < len; i++) {
      if (!contains(targets, i) && a[offset + i] >= minTarget) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /** Mean cosine of {@code a[i]} with {@code b[i]}; NaN when empty. */
  static double matchedCosine(double[][] a, double[][] b) {
    if (a.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += MatrixComplexity.cosine(a[i], b[i]);
    }
    return sum / a.length;
  }

  /**
   * Mean cosine of {@code a[i]} with {@code b[j]}, j the first index after i (cyclically) whose
   * label differs from i's; NaN when no i has such a partner.
   */
  static double shuffledCosine(double[][] a, double[][] b, int[] labels) {
    int m = a.length;
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < m; i++) {
      for (int k = 1; k < m; k++) {
        int j = (i + k) % m;
        if (labels[j] != labels[i]) {
          sum += MatrixComplexity.cosine(a[i], b[j]);
          pairs++;
          break;
        }
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }
}
