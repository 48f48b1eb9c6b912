package io.mechsweep.analysis.probes.anchor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.MatrixComplexity;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.probes.WeightMatrix;
import io.mechsweep.datagen.anchor.AnchorDataset;
import io.mechsweep.datagen.anchor.AnchorRules;
import io.mechsweep.datagen.anchor.AnchorSequence;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.PackedTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The anchor study's mechanism probes (TASKS.md, Study 1, "Probes"):
 *
 * <ul>
 *   <li>{@value #ATTN_FLOW}: mean attention between the roles of a sequence (key, first and
 *       second anchor, noise, last position) per layer and head, bucket {@code query->key}.
 *       Symmetric models merge the anchors first ({@code a2->a1}), inferential ones copy the key
 *       onto the anchors first ({@code a1->key}, {@code a2->key}).
 *   <li>{@value #LAST_OUT_COS}: cosine similarity of the last position's attention output
 *       (after W_O) between sequences with the same vs a different answer; for the unseen pair,
 *       against seen sequences whose answer equals its inferential (x−10) or symmetric (x−6)
 *       answer.
 *   <li>{@value #ANCHOR_EMBED_COS}: cosine similarity of the anchor tokens' embeddings.
 * </ul>
 */
public final class AnchorProbes implements TaskProbes {
  public static final String ATTN_FLOW = "attn_flow";
  public static final String LAST_OUT_COS = "last_attn_out_cos";
  public static final String ANCHOR_EMBED_COS = "anchor_embedding_cos";

  /** Query roles in the attention-flow matrix (rows of its heatmap). */
  public static final List<String> QUERY_ROLES = List.of("key", "a1", "a2", "last");
  /** Attended roles (columns); "noise" sums the attention over every noise position. */
  public static final List<String> KEY_ROLES = List.of("key", "a1", "a2", "noise", "last");
  private static final int NOISE = KEY_ROLES.indexOf("noise");
  /** Each query role's index in {@link #KEY_ROLES} (and in {@link #positions}). */
  private static final int[] QUERY_AS_KEY_ROLE = QUERY_ROLES.stream().mapToInt(KEY_ROLES::indexOf).toArray();

  /** The probe sets' names: the evaluation sets they are drawn from. */
  public static final String SEEN = AnchorDataset.EVAL_SEEN_HELD_OUT_KEYS;
  public static final String UNSEEN = AnchorDataset.EVAL_UNSEEN_PAIR;

  private final AnchorProbeSet seen;
  private final AnchorProbeSet unseen;

  /**
   * @param seen seen pairs with held-out keys (their answers are inferential)
   * @param unseen the unseen pair (4,3)
   */
  public AnchorProbes(AnchorProbeSet seen, AnchorProbeSet unseen) {
    this.seen = seen;
    this.unseen = unseen;
  }

  /** Probes over at most {@code rowsPerSet} sequences of each probe set of a dataset's splits. */
  public static AnchorProbes of(AnchorDataset.Splits splits, int rowsPerSet) {
    Map<String, List<AnchorSequence>> sets = splits.probeSequences(rowsPerSet);
    return new AnchorProbes(AnchorProbeSet.of(SEEN, sets.get(SEEN)), AnchorProbeSet.of(UNSEEN, sets.get(UNSEEN)));
  }

  @Override
  public Set<Integer> inputTokens() {
    Set<Integer> tokens = new TreeSet<>();
    for (AnchorProbeSet set : List.of(seen, unseen)) {
      for (int token : set.tokens()) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  @Override
  public List<ProbeRow> probe(String runId, int step, PackedTransformer model, Map<String, WeightMatrix> weights) {
    WeightMatrix tokenEmbedding = weights.get(Names.TOKEN_EMBEDDING);
    List<ProbeRow> rows = new ArrayList<>();
    int depth = model.config().depth();
    float[][] seenOut = new float[depth][];
    float[][] unseenOut = new float[depth][];
    rows.addAll(forward(runId, step, model, seen, seenOut));
    rows.addAll(forward(runId, step, model, unseen, unseenOut));
    int d = model.config().dModel();
    for (int l = 0; l < depth; l++) {
      double[][] s = MatrixComplexity.rows(seenOut[l], seen.size(), d);
      double[][] u = MatrixComplexity.rows(unseenOut[l], unseen.size(), d);
      int[] seenTarget = seen.inferentialTarget();
      rows.add(cos(runId, step, l, seen.name(), "same_target",
          meanCosine(s, s, true, (i, j) -> seenTarget[i] == seenTarget[j])));
      rows.add(cos(runId, step, l, seen.name(), "different_target",
          meanCosine(s, s, true, (i, j) -> seenTarget[i] != seenTarget[j])));
      int[] inf = unseen.inferentialTarget();
      int[] sym = unseen.symmetricTarget();
      rows.add(cos(runId, step, l, unseen.name(), "seen_same_inferential_target",
          meanCosine(u, s, false, (i, j) -> seenTarget[j] == inf[i])));
      rows.add(cos(runId, step, l, unseen.name(), "seen_same_symmetric_target",
          meanCosine(u, s, false, (i, j) -> seenTarget[j] == sym[i])));
      rows.add(cos(runId, step, l, unseen.name(), "seen_other_target",
          meanCosine(u, s, false, (i, j) -> seenTarget[j] != inf[i] && seenTarget[j] != sym[i])));
    }
    for (int a = 1; a <= AnchorRules.ANCHOR_COUNT; a++) {
      for (int b = a + 1; b <= AnchorRules.ANCHOR_COUNT; b++) {
        double c = MatrixComplexity.cosine(tokenEmbedding.row(a), tokenEmbedding.row(b));
        rows.add(new ProbeRow(runId, step, ANCHOR_EMBED_COS, tokenEmbedding.name(), null, null, null,
            a + "~" + b, c));
      }
    }
    return rows;
  }

  /** The attention-flow rows of one probe set; fills {@code lastOut[l]} with (B, d) outputs. */
  private static List<ProbeRow> forward(
      String runId, int step, PackedTransformer model, AnchorProbeSet set, float[][] lastOut) {
    NDManager manager = model.params().get(Names.TOKEN_EMBEDDING).getManager();
    int t = set.seqLen();
    int b = set.size();
    int heads = model.config().heads();
    List<ProbeRow> rows = new ArrayList<>();
    Autograd.record(false);
    try (NDScope scope = new NDScope()) { // frees every intermediate of the forward pass
      NDArray tokens = Tensors.of(manager, set.tokensAsLongs(), new Shape(1, b, t));
      PackedTransformer.Output out = model.forward(tokens, false, true);
      for (int l = 0; l < model.config().depth(); l++) {
        float[] pattern = Tensors.floats(out.trace().get(Names.attnPattern(l))); // (1,B,H,T,T)
        rows.addAll(flow(runId, step, l, set, pattern, heads));
        lastOut[l] = Tensors.floats(out.trace().get(Names.attnOut(l)).get(":, :, -1, :")); // (1,B,d)
      }
    }
    return rows;
  }

  /** Mean attention between roles over the set's sequences, per head. */
  static List<ProbeRow> flow(String runId, int step, int layer, AnchorProbeSet set, float[] pattern, int heads) {
    int t = set.seqLen();
    int n = set.size();
    List<ProbeRow> rows = new ArrayList<>();
    for (int h = 0; h < heads; h++) {
      double[][] sum = new double[QUERY_ROLES.size()][KEY_ROLES.size()];
      for (int s = 0; s < n; s++) {
        int[] pos = positions(set.keyPosition()[s], t);
        for (int q = 0; q < QUERY_ROLES.size(); q++) {
          int base = ((s * heads + h) * t + pos[QUERY_AS_KEY_ROLE[q]]) * t;
          for (int k = 0; k < KEY_ROLES.size(); k++) {
            if (k == NOISE) { // every position that is none of key, a1, a2, last
              for (int j = 0; j < t; j++) {
                if (!isRole(j, pos)) {
                  sum[q][k] += pattern[base + j];
                }
              }
            } else {
              sum[q][k] += pattern[base + pos[k]];
            }
          }
        }
      }
      for (int q = 0; q < QUERY_ROLES.size(); q++) {
        for (int k = 0; k < KEY_ROLES.size(); k++) {
          rows.add(new ProbeRow(runId, step, ATTN_FLOW, null, layer, h, set.name(),
              QUERY_ROLES.get(q) + "->" + KEY_ROLES.get(k), sum[q][k] / n));
        }
      }
    }
    return rows;
  }

  /**
   * Positions in {@link #KEY_ROLES} order (noise has none); a2 is the last position when the
   * key sits at T−3.
   */
  private static int[] positions(int keyPos, int t) {
    return new int[] {keyPos, keyPos + 1, keyPos + 2, -1, t - 1};
  }

  private static boolean isRole(int j, int[] pos) {
    return j == pos[0] || j == pos[1] || j == pos[2] || j == pos[4];
  }

  /** A pair predicate over row indices of two vector sets. */
  interface PairFilter {
    boolean test(int i, int j);
  }

  /**
   * Mean cosine over the pairs (i of {@code a}, j of {@code b}) that pass {@code keep}; NaN when
   * none does. With {@code sameSet}, only i &lt; j is counted (a against itself).
   */
  static double meanCosine(double[][] a, double[][] b, boolean sameSet, PairFilter keep) {
    double[][] ua = Arrays.stream(a).map(MatrixComplexity::normalized).toArray(double[][]::new);
    double[][] ub = sameSet ? ua : Arrays.stream(b).map(MatrixComplexity::normalized).toArray(double[][]::new);
    double sum = 0;
    long n = 0;
    for (int i = 0; i < ua.length; i++) {
      for (int j = sameSet ? i + 1 : 0; j < ub.length; j++) {
        if (keep.test(i, j)) {
          sum += MatrixComplexity.dot(ua[i], ub[j]);
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }


  private static ProbeRow cos(String runId, int step, int layer, String set, String bucket, double value) {
    return new ProbeRow(runId, step, LAST_OUT_COS, null, layer, null, set, bucket, value);
  }
}
