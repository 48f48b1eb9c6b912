package io.mechsweep.analysis.probes.lego;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.TaskProbes;
import io.mechsweep.analysis.probes.WeightMatrix;
import io.mechsweep.datagen.lego.LegoChain;
import io.mechsweep.datagen.lego.LegoDataset;
import io.mechsweep.datagen.lego.LegoOrder;
import io.mechsweep.datagen.lego.LegoRules;
import io.mechsweep.training.Autograd;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.mimic.AttentionTargets;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.PackedTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The LEGO study's attention probes (TASKS.md, Study 3), per layer and head, on the test chains
 * in both clause orders (probe sets {@code test_shuffled}, {@code test_sorted}):
 *
 * <ul>
 *   <li>{@value #ASSOCIATION}: attention mass on the other positions holding the query's token,
 *       averaged over the queries whose token occurs elsewhere in the sequence (a name's two
 *       occurrences, the repeated {@code =} and {@code ,} …; the others cannot associate).
 *   <li>{@value #LOCALITY}: mass on keys within ±2 of the query (the query itself included),
 *       averaged over all queries. Uniform attention over T keys scores about 5/T.
 *   <li>{@value #KL_LOCAL} and {@value #KL_ASSOCIATION}: the divergence of the head from the
 *       mimicking stage's two maps ({@link AttentionTargets#divergence}: KL(attention ‖ map)
 *       after smoothing both, per query), averaged.
 *   <li>{@value #ATTENTION_MAP}: every head's full pattern on the first shuffled test sequence,
 *       bucket {@code "<query>,<key>"}, for the report's pictures of association and local heads.
 * </ul>
 */
public final class LegoProbes implements TaskProbes {
  public static final String ASSOCIATION = "association_score";
  public static final String LOCALITY = "locality_score";
  public static final String KL_LOCAL = "kl_local";
  public static final String KL_ASSOCIATION = "kl_association";
  public static final String ATTENTION_MAP = "attention_map";

  /** Named sets of token sequences (each row {@code seqLen} long) with their reference maps. */
  private final Map<String, ProbeSet> sets;
  /** Every head ablated in turn on the shuffled chains; null when built from bare sequences. */
  private final HeadAblationProbe ablation;

  public LegoProbes(Map<String, int[][]> sets) {
    this(sets, null);
  }

  private LegoProbes(Map<String, int[][]> sets, HeadAblationProbe ablation) {
    this.ablation = ablation;
    Map<String, ProbeSet> withMaps = new java.util.TreeMap<>();
    sets.forEach((name, seqs) -> {
      if (seqs.length > 0) {
        withMaps.put(name, ProbeSet.of(seqs));
      }
    });
    this.sets = java.util.Collections.unmodifiableMap(withMaps);
  }

  /**
   * Probe sets of the given chains in both clause orders, padded to the model's {@code seqLen}
   * (a dataset with longer test chains pads them with PAD, as training and evaluation do).
   */
  public static LegoProbes of(List<LegoChain> chains, int seqLen) {
    java.util.LinkedHashMap<String, int[][]> sets = new java.util.LinkedHashMap<>();
    for (LegoOrder order : LegoOrder.values()) {
      sets.put(LegoDataset.evalSetName(order), chains.stream().map(c -> c.tokens(order, seqLen)).toArray(int[][]::new));
    }
    String shuffled = LegoDataset.evalSetName(LegoOrder.SHUFFLED);
    return new LegoProbes(sets, chains.isEmpty() ? null : HeadAblationProbe.of(shuffled, chains, LegoOrder.SHUFFLED, seqLen));
  }

  @Override
  public Set<Integer> inputTokens() {
    Set<Integer> out = new TreeSet<>();
    for (int t = 0; t < LegoRules.VOCAB_SIZE; t++) {
      if (t != LegoRules.PAD && t != LegoRules.MASK) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public List<ProbeRow> probe(String runId, int step, PackedTransformer model, Map<String, WeightMatrix> weights) {
    List<ProbeRow> rows = new ArrayList<>();
    NDManager manager = model.params().get(Names.TOKEN_EMBEDDING).getManager();
    Autograd.record(false);
    for (String set : sets.keySet()) {
      ProbeSet probeSet = sets.get(set);
      int[][] seqs = probeSet.seqs();
      int b = seqs.length;
      int t = seqs[0].length;
      long[] flat = new long[b * t];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          flat[i * t + j] = seqs[i][j];
        }
      }
      try (NDScope scope = new NDScope()) {
        PackedTransformer.Output out = model.forward(Tensors.of(manager, flat, new Shape(1, b, t)), false, true);
        for (int l = 0; l < model.config().depth(); l++) {
          float[] pattern = Tensors.floats(out.trace().get(Names.attnPattern(l))); // (1,B,H,T,T)
          int heads = model.config().heads();
          for (int h = 0; h < heads; h++) {
            HeadScores s = scores(pattern, probeSet, h, heads);
            rows.add(new ProbeRow(runId, step, ASSOCIATION, null, l, h, set, ProbeRow.ALL, s.association()));
            rows.add(new ProbeRow(runId, step, LOCALITY, null, l, h, set, ProbeRow.ALL, s.locality()));
            rows.add(new ProbeRow(runId, step, KL_LOCAL, null, l, h, set, ProbeRow.ALL, s.klLocal()));
            rows.add(new ProbeRow(runId, step, KL_ASSOCIATION, null, l, h, set, ProbeRow.ALL, s.klAssociation()));
            if (set.equals(LegoDataset.evalSetName(LegoOrder.SHUFFLED))) {
              for (int q = 0; q < t; q++) {
                for (int k = 0; k < t; k++) {
                  rows.add(new ProbeRow(runId, step, ATTENTION_MAP, null, l, h, set, q + "," + k,
                      pattern[((h * t) + q) * t + k]));
                }
              }
            }
          }
        }
      }
    }
    if (ablation != null) {
      rows.addAll(ablation.probe(runId, step, model, manager));
    }
    return rows;
  }

  /** The four scores of one head, averaged over the set's sequences. */
  record HeadScores(double association, double locality, double klLocal, double klAssociation) {}

  /**
   * A set's sequences with their reference maps, smoothed once: every layer and head of every
   * checkpoint is compared with the same maps.
   */
  record ProbeSet(int[][] seqs, float[] band, float[][] association) implements java.io.Serializable {
    static ProbeSet of(int[][] seqs) {
      int t = seqs[0].length;
      float[][] association = new float[seqs.length][];
      for (int s = 0; s < seqs.length; s++) {
        association[s] = AttentionTargets.smoothed(AttentionTargets.association(seqs[s]), t);
      }
      return new ProbeSet(seqs, AttentionTargets.smoothed(AttentionTargets.localBand(t), t), association);
    }
  }

  /**
   * @param pattern {@code (1, B, H, T, T)} row-major
   */
  static HeadScores scores(float[] pattern, ProbeSet set, int head, int heads) {
    int[][] seqs = set.seqs();
    int t = seqs[0].length;
    double association = 0;
    long associating = 0;
    double locality = 0;
    double klLocal = 0;
    double klAssociation = 0;
    long queries = 0;
    for (int s = 0; s < seqs.length; s++) {
      int base = (s * heads + head) * t * t;
      float[] map = java.util.Arrays.copyOfRange(pattern, base, base + t * t);
      klLocal += AttentionTargets.divergenceFromSmoothed(map, set.band(), t);
      klAssociation += AttentionTargets.divergenceFromSmoothed(map, set.association()[s], t);
      for (int q = 0; q < t; q++) {
        if (seqs[s][q] == LegoRules.PAD) {
          continue; // padding after a shorter chain is no query of the task's
        }
        queries++;
        double same = 0;
        double near = 0;
        boolean repeats = false;
        for (int k = 0; k < t; k++) {
          double p = map[q * t + k];
          if (k != q && seqs[s][k] == seqs[s][q]) {
            same += p;
            repeats = true;
          }
          if (Math.abs(k - q) <= 2) {
            near += p;
          }
        }
        if (repeats) {
          association += same;
          associating++;
        }
        locality += near;
      }
    }
    return new HeadScores(associating == 0 ? 0 : association / associating, locality / queries,
        klLocal / seqs.length, klAssociation / seqs.length);
  }
}
