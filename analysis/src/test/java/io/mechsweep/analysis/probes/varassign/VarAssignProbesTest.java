package io.mechsweep.analysis.probes.varassign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mechsweep.analysis.probes.ProbeRow;
import io.mechsweep.analysis.probes.WeightMatrix;
import io.mechsweep.datagen.varassign.VarAssignDataset;
import io.mechsweep.datagen.varassign.VarAssignExample;
import io.mechsweep.datagen.varassign.VarAssignRules;
import io.mechsweep.datagen.varassign.VarAssignSpec;
import io.mechsweep.training.Tensors;
import io.mechsweep.training.TorchRuntime;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.Names;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.model.PackedTransformer;
import io.mechsweep.training.model.ParameterLayout;
import io.mechsweep.training.model.ParameterSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The varassign probes on models whose weights are set by hand (the varassign shape: 2 layers,
 * 1 head, d = d_head = 128, no LayerNorm, no MLP in layer 0, 59 output classes), so each
 * expected value follows from the construction.
 */
class VarAssignProbesTest {
  private static final int P = VarAssignRules.P;
  private static final int T = VarAssignRules.SEQ_LEN;
  private static final int D = 128;
  private static final int D_FF = 128;

  // Dimensions of the residual stream in the hand-built binding model.
  private static final int VAR = 16; // 16..27: variable one-hot
  private static final int COPY = 28; // 28..39: the variable copied onto its value by layer 0
  private static final int NUM_FLAG = 40; // 1 for number tokens
  private static final int NUM = 41; // 41, 42: a number's angle on the circle
  /** Score unit: targets get 2U, everything else at most U; U/√128 ≈ 26.5 leaves ~e^-26 leakage. */
  private static final float U = 300;

  @BeforeAll
  static void torch() {
    TorchRuntime.init(1);
  }

  // ---------------------------------------------------------------- addition module

  @Test
  void exactAdditionTableScoresOneAndBrokenTablesScoreWhatTheyBreak() {
    VarAssignProbes probes = new VarAssignProbes(List.of()); // weights only
    Map<String, float[]> w = additionModel();
    assertThat(addition(probes, w, ProbeRow.ALL)).isEqualTo(1.0);
    assertThat(addition(probes, w, VarAssignProbes.WITH_RESIDUAL)).isEqualTo(1.0);

    // Swapping the unembedding columns of classes 3 and 7 breaks exactly the 2·59 pairs with those sums.
    Map<String, float[]> swapped = new HashMap<>(w);
    float[] u = w.get(Names.UNEMBED).clone();
    for (int r = 0; r < D; r++) {
      float t = u[r * P + 3];
      u[r * P + 3] = u[r * P + 7];
      u[r * P + 7] = t;
    }
    swapped.put(Names.UNEMBED, u);
    assertThat(addition(probes, swapped, ProbeRow.ALL)).isCloseTo(57.0 / 59, within(1e-12));

    // A zero unembedding ties every class: the first maximum (class 0) is right for the 59 pairs summing to 0.
    Map<String, float[]> zeroed = new HashMap<>(w);
    zeroed.put(Names.UNEMBED, new float[D * P]);
    assertThat(addition(probes, zeroed, ProbeRow.ALL)).isCloseTo(1.0 / 59, within(1e-12));

    // The residual h carries a constant 2 in dimension 1: reading it into class 5 swamps the
    // residual-kept logits (always class 5) but not the MLP path the public measure reads.
    Map<String, float[]> leaky = new HashMap<>(w);
    float[] v = w.get(Names.UNEMBED).clone();
    v[1 * P + 5] = 10;
    leaky.put(Names.UNEMBED, v);
    assertThat(addition(probes, leaky, ProbeRow.ALL)).isEqualTo(1.0);
    assertThat(addition(probes, leaky, VarAssignProbes.WITH_RESIDUAL)).isCloseTo(1.0 / 59, within(1e-12));
  }

  /**
   * E[a] = a·e0 + e1 and OV = I, so h = (a+b)·e0 + 2·e1. Hidden unit k is ReLU(a+b − k + 1)
   * (k = 0..116, the constant 2 acting as bias); W_out holds the second differences of each
   * class's indicator [m ≡ c mod 59], so the MLP output in dimensions 64+c is exactly that
   * indicator at every integer m = a+b; W_U reads dimension 64+c into class c.
   */
  private static Map<String, float[]> additionModel() {
    Map<String, float[]> w = new HashMap<>();
    float[] embed = new float[VarAssignRules.VOCAB_SIZE * D];
    for (int a = 0; a < P; a++) {
      embed[a * D] = a;
      embed[a * D + 1] = 1;
    }
    w.put(Names.TOKEN_EMBEDDING, embed);
    w.put(Names.attnV(1), identity());
    w.put(Names.attnO(1), identity());
    int units = 2 * P - 1; // sums 0..116
    float[] in = new float[D * D_FF];
    float[] out = new float[D_FF * D];
    for (int k = 0; k < units; k++) {
      in[k] = 1; // row 0
      in[D_FF + k] = (1 - k) / 2f; // row 1 (h1 = 2)
      for (int c = 0; c < P; c++) {
        out[k * D + 64 + c] = indicator(k, c) - 2 * indicator(k - 1, c) + indicator(k - 2, c);
      }
    }
    w.put(Names.mlpIn(1), in);
    w.put(Names.mlpOut(1), out);
    float[] unembed = new float[D * P];
    for (int c = 0; c < P; c++) {
      unembed[(64 + c) * P + c] = 1;
    }
    w.put(Names.UNEMBED, unembed);
    return w;
  }

  private static float indicator(int m, int c) {
    return m >= 0 && m % P == c ? 1 : 0;
  }

  private static double addition(VarAssignProbes probes, Map<String, float[]> w, String bucket) {
    return probe(probes, w).stream()
        .filter(r -> r.probe().equals(VarAssignProbes.ADDITION_MODULE) && r.bucket().equals(bucket))
        .peek(r -> assertThat(r.layer()).isEqualTo(1))
        .peek(r -> assertThat(r.probeSet()).isNull())
        .findFirst().orElseThrow().value();
  }

  // ---------------------------------------------------------------- binding mechanism

  /**
   * A hand-built assign-and-add circuit. Layer 0: every prefix position attends its previous
   * token and copies a variable there into the COPY block (so a value token carries its
   * variable); '=' attends the operands 13 and 14 equally and copies their variables; 13 and 14
   * attend '+'. Layer 1 at '=' scores a key by number flag (U) + operand position 13/14 (U) +
   * 2U·(COPY at '=' · COPY at the key): the value tokens of the operands' variables and number
   * operands get 2U, every other position at most U. Its OV copies the number's angle and
   * subtracts the COPY block, which cancels layer 0's copy at '=': the MLP input at '=' is
   * e15 + (N(n1) + N(n2))/2, a function of the resolved numbers only.
   */
  @Test
  void handBuiltCircuitScoresOneOnEveryAttentionProbeAndMatchesItsDirectTwins() {
    Map<String, List<VarAssignExample>> pools = pools();
    VarAssignProbes probes = VarAssignProbes.of(pools);
    List<ProbeRow> rows = probe(probes, bindingModel(true));

    for (String pool : pools.keySet()) {
      assertThat(value(rows, VarAssignProbes.PREV_TOKEN_BINDING, pool, ProbeRow.ALL, 0)).as(pool).isEqualTo(1.0);
      assertThat(value(rows, VarAssignProbes.EQ_ATTENTION_OPERANDS, pool, ProbeRow.ALL, 0)).as(pool).isEqualTo(1.0);
      assertThat(value(rows, VarAssignProbes.EQ_ATTENTION_VALUES, pool, ProbeRow.ALL, 1)).as(pool).isEqualTo(1.0);
    }
    for (String pool : List.of("one_var", "two_var", "mixed")) {
      double matched = value(rows, VarAssignProbes.SAME_MLP_COSINE, pool, VarAssignProbes.MATCHED, 1);
      double shuffled = value(rows, VarAssignProbes.SAME_MLP_COSINE, pool, VarAssignProbes.SHUFFLED, 1);
      assertThat(matched).as(pool).isCloseTo(1.0, within(1e-5));
      assertThat(shuffled).as(pool).isLessThan(matched - 0.1);
    }
    // A pool of direct sequences has no via-variable pair to compare: no rows rather than NaN.
    assertThat(rows).noneMatch(r -> r.probe().equals(VarAssignProbes.SAME_MLP_COSINE) && r.probeSet().equals("numbers"));
    assertThat(rows).noneMatch(r -> Double.isNaN(r.value()));
  }

  @Test
  void probesFailWhereTheCircuitIsAbsent() {
    Map<String, List<VarAssignExample>> pools = pools();
    VarAssignProbes probes = VarAssignProbes.of(pools);
    // '=' attends only its previous token (14), not both operands.
    List<ProbeRow> prevOnly = probe(probes, bindingModel(false));
    // All weights zero: uniform attention everywhere, every "top" is a tie.
    List<ProbeRow> zero = probe(probes, Map.of());
    for (String pool : pools.keySet()) {
      assertThat(value(prevOnly, VarAssignProbes.PREV_TOKEN_BINDING, pool, ProbeRow.ALL, 0)).as(pool).isEqualTo(1.0);
      assertThat(value(prevOnly, VarAssignProbes.EQ_ATTENTION_OPERANDS, pool, ProbeRow.ALL, 0)).as(pool).isEqualTo(0.0);
      assertThat(value(zero, VarAssignProbes.PREV_TOKEN_BINDING, pool, ProbeRow.ALL, 0)).as(pool).isEqualTo(0.0);
      assertThat(value(zero, VarAssignProbes.EQ_ATTENTION_OPERANDS, pool, ProbeRow.ALL, 0)).as(pool).isEqualTo(0.0);
      assertThat(value(zero, VarAssignProbes.EQ_ATTENTION_VALUES, pool, ProbeRow.ALL, 1)).as(pool).isEqualTo(0.0);
    }
    assertThat(value(zero, VarAssignProbes.ADDITION_MODULE, null, ProbeRow.ALL, 1)).isCloseTo(1.0 / 59, within(1e-12));
    // Without the left operand's variable at '=', a left variable is never resolved: '+ v n2 ='
    // reads n2 alone while its twin '+ n1 n2 =' reads both numbers, so the pairs disagree.
    assertThat(value(prevOnly, VarAssignProbes.SAME_MLP_COSINE, "one_var", VarAssignProbes.MATCHED, 1)).isLessThan(0.99);
  }

  private static Map<String, float[]> bindingModel(boolean eqAttendsBothOperands) {
    Map<String, float[]> w = new HashMap<>();
    float[] pos = new float[T * D];
    for (int i = 0; i < T; i++) {
      pos[i * D + i] = 1;
    }
    w.put(Names.POSITION_EMBEDDING, pos);
    float[] embed = new float[VarAssignRules.VOCAB_SIZE * D];
    for (int n = 0; n < P; n++) {
      embed[n * D + NUM_FLAG] = 1;
      embed[n * D + NUM] = (float) (4 * Math.cos(2 * Math.PI * n / P));
      embed[n * D + NUM + 1] = (float) (4 * Math.sin(2 * Math.PI * n / P));
    }
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      embed[VarAssignRules.variableToken(v) * D + VAR + v] = 1;
    }
    w.put(Names.TOKEN_EMBEDDING, embed);

    // Layer 0: position j's key sits in head dimension j+1, so a query in head dimension j+1 picks j.
    float g0 = 2 * U;
    float[] q0 = new float[D * D];
    float[] k0 = new float[D * D];
    for (int j = 0; j + 1 < T; j++) {
      k0[j * D + j + 1] = 1;
    }
    for (int i = 1; i <= VarAssignRules.PLUS_POS; i++) {
      q0[i * D + i] = g0; // previous token
    }
    q0[VarAssignRules.LHS_POS * D + VarAssignRules.PLUS_POS + 1] = g0; // 13 → '+'
    q0[VarAssignRules.RHS_POS * D + VarAssignRules.PLUS_POS + 1] = g0; // 14 → '+'
    q0[VarAssignRules.EQUALS_POS * D + VarAssignRules.RHS_POS + 1] = g0; // '=' → 14
    if (eqAttendsBothOperands) {
      q0[VarAssignRules.EQUALS_POS * D + VarAssignRules.LHS_POS + 1] = g0; // '=' → 13
    }
    w.put(Names.attnQ(0), q0);
    w.put(Names.attnK(0), k0);
    float[] v0 = new float[D * D];
    float[] o0 = new float[D * D];
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      v0[(VAR + v) * D + v] = 1;
      o0[v * D + COPY + v] = 1;
    }
    w.put(Names.attnV(0), v0);
    w.put(Names.attnO(0), o0);

    // Layer 1 (read at '=' only).
    float[] q1 = new float[D * D];
    float[] k1 = new float[D * D];
    q1[VarAssignRules.EQUALS_POS * D] = U; // number flag
    q1[VarAssignRules.EQUALS_POS * D + 1] = U; // operand position
    k1[NUM_FLAG * D] = 1;
    k1[VarAssignRules.LHS_POS * D + 1] = 1;
    k1[VarAssignRules.RHS_POS * D + 1] = 1;
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      q1[(COPY + v) * D + 2 + v] = 2 * U;
      k1[(COPY + v) * D + 2 + v] = 1;
    }
    w.put(Names.attnQ(1), q1);
    w.put(Names.attnK(1), k1);
    float[] v1 = new float[D * D];
    float[] o1 = new float[D * D];
    v1[NUM * D] = 1;
    v1[(NUM + 1) * D + 1] = 1;
    o1[NUM] = 1;
    o1[D + NUM + 1] = 1;
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      v1[(COPY + v) * D + 2 + v] = 1;
      o1[(2 + v) * D + COPY + v] = -1;
    }
    w.put(Names.attnV(1), v1);
    w.put(Names.attnO(1), o1);
    return w;
  }

  // ---------------------------------------------------------------- pure functions on hand-set patterns

  @Test
  void attentionReadersAcceptOnlyStrictTops() {
    // One sequence: "a 5 _ ... + a 7 =" — a at 0, its value at 1; left operand a, right 7.
    int[] tokens = prefix(new int[] {0}, new int[] {0}, new int[] {5});
    VarAssignExample e = example(1, tokens, VarAssignRules.variableToken(0), 7, 5, 7, 0, -1, 1, -1);
    VarAssignProbeSet set = VarAssignProbeSet.of("x", List.of(e));
    assertThat(set.valuePositions(0)).containsExactly(1, VarAssignRules.RHS_POS);

    float[] attn = new float[T * T];
    attn[1 * T] = 0.9f; // position 1 → 0 (its variable)
    attn[1 * T + 1] = 0.1f;
    assertThat(VarAssignProbes.prevTokenBinding(set, attn)).isEqualTo(1.0);
    attn[1 * T + 1] = 0.9f; // a tie is not an argmax
    assertThat(VarAssignProbes.prevTokenBinding(set, attn)).isEqualTo(0.0);

    int eq = VarAssignRules.EQUALS_POS * T;
    attn[eq + 13] = 0.4f;
    attn[eq + 14] = 0.4f;
    attn[eq + 15] = 0.2f;
    assertThat(VarAssignProbes.eqAttentionOperands(set, attn)).isEqualTo(1.0);
    attn[eq + 15] = 0.4f; // third place ties second
    assertThat(VarAssignProbes.eqAttentionOperands(set, attn)).isEqualTo(0.0);
    Arrays.fill(attn, eq, eq + T, 1f / T); // uniform
    assertThat(VarAssignProbes.eqAttentionOperands(set, attn)).isEqualTo(0.0);

    float[] row = new float[T];
    row[1] = 0.45f; // value of a
    row[14] = 0.45f; // number operand 7
    row[13] = 0.1f;
    assertThat(VarAssignProbes.eqAttentionValues(set, row)).isEqualTo(1.0);
    row[1] = 0.05f;
    row[0] = 0.4f; // the variable token instead of its value
    assertThat(VarAssignProbes.eqAttentionValues(set, row)).isEqualTo(0.0);
  }

  @Test
  void cosinePairingIsDeterministicAndSkipsEqualLabels() {
    double[][] a = {{1, 0}, {0, 1}, {1, 1}};
    double[][] b = {{1, 0}, {0, 1}, {-1, -1}};
    assertThat(VarAssignProbes.matchedCosine(a, b)).isCloseTo(1.0 / 3, within(1e-12));
    // labels 4, 4, 9: 0 → 2, 1 → 2, 2 → 0
    int[] labels = {4, 4, 9};
    double expected = (-Math.sqrt(0.5) - Math.sqrt(0.5) + Math.sqrt(0.5)) / 3;
    assertThat(VarAssignProbes.shuffledCosine(a, b, labels)).isCloseTo(expected, within(1e-12));
    assertThat(VarAssignProbes.shuffledCosine(a, b, new int[] {1, 1, 1})).isNaN();
    assertThat(VarAssignProbes.matchedCosine(new double[0][], new double[0][])).isNaN();
  }

  @Test
  void factoryKeepsPoolsInNameOrderAndSurvivesSerialization() throws Exception {
    Map<String, List<VarAssignExample>> pools = new LinkedHashMap<>(pools());
    pools.put("empty", List.of());
    VarAssignProbes probes = VarAssignProbes.of(pools);
    assertThat(probes.sets()).extracting(VarAssignProbeSet::name).containsExactly("mixed", "numbers", "one_var", "two_var");

    VarAssignExample e = pools.get("two_var").get(0);
    VarAssignProbeSet set = probes.sets().get(3);
    int[] twin = set.directTwin(0);
    assertThat(Arrays.copyOf(twin, VarAssignRules.PREFIX_LEN + 1))
        .containsExactly(Arrays.copyOf(e.tokens(), VarAssignRules.PREFIX_LEN + 1));
    assertThat(twin[VarAssignRules.LHS_POS]).isEqualTo(e.n1());
    assertThat(twin[VarAssignRules.RHS_POS]).isEqualTo(e.n2());
    assertThat(twin[VarAssignRules.EQUALS_POS]).isEqualTo(VarAssignRules.EQUALS);

    assertThat(probes.inputTokens()).hasSize(73).doesNotContain(VarAssignRules.PAD)
        .contains(0, 58, VarAssignRules.PLUS, VarAssignRules.EQUALS, 62, 73);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(probes);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      VarAssignProbes back = (VarAssignProbes) in.readObject();
      assertThat(back.sets()).hasSize(4);
      assertThat(back.sets().get(3).tokens()).containsExactly(set.tokens());
    }
  }

  /**
   * The generator's pools on a random model: every pool gets its rows, values are fractions or
   * cosines, and the data's value positions are what the probes take them for. Prints the time
   * of one checkpoint's probes (10 pools × 512 sequences at the study's width).
   */
  @Test
  void generatedPoolsOnARandomModel() {
    Map<String, List<VarAssignExample>> pools =
        new VarAssignDataset(VarAssignSpec.paper(3)).generateInMemory().probeSequences(512);
    for (List<VarAssignExample> pool : pools.values()) {
      for (VarAssignExample e : pool) {
        for (int pos : new int[] {e.leftValuePos(), e.rightValuePos()}) {
          if (pos >= 0) {
            assertThat(VarAssignRules.isNumber(e.tokens()[pos])).as(e.toString()).isTrue();
            assertThat(VarAssignRules.isVariable(e.tokens()[pos - 1])).as(e.toString()).isTrue();
          }
        }
      }
    }
    VarAssignProbes probes = VarAssignProbes.of(pools);
    Random r = new Random(11);
    Map<String, float[]> w = new HashMap<>();
    ModelConfig config = new ModelConfig(VarAssignRules.VOCAB_SIZE, VarAssignRules.CLASSES, T, D, 512, D, 1, 2,
        NormPlacement.NONE, true, Set.of(0), false, Set.of());
    for (ParameterLayout.Entry e : ParameterLayout.of(config)) {
      float[] values = new float[e.rows() * e.cols()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (r.nextGaussian() * 0.8 / Math.sqrt(D));
      }
      w.put(e.name(), values);
    }
    probe(probes, w, config); // warm-up
    long start = System.nanoTime();
    List<ProbeRow> rows = probe(probes, w, config);
    System.out.printf("varassign probes, %d pools: %.0f ms%n", pools.size(), (System.nanoTime() - start) / 1e6);

    assertThat(pools).hasSize(10);
    for (String pool : pools.keySet()) {
      for (String probe : List.of(VarAssignProbes.PREV_TOKEN_BINDING, VarAssignProbes.EQ_ATTENTION_OPERANDS,
          VarAssignProbes.EQ_ATTENTION_VALUES)) {
        assertThat(rows).filteredOn(x -> x.probe().equals(probe) && pool.equals(x.probeSet()))
            .singleElement().extracting(ProbeRow::value).satisfies(v -> assertThat(v).isBetween(0.0, 1.0));
      }
      boolean direct = pool.endsWith("0var");
      assertThat(rows).filteredOn(x -> x.probe().equals(VarAssignProbes.SAME_MLP_COSINE) && pool.equals(x.probeSet()))
          .as(pool).hasSize(direct ? 0 : 2);
    }
    assertThat(rows).filteredOn(x -> x.probe().equals(VarAssignProbes.ADDITION_MODULE)).hasSize(2);
    assertThat(rows).noneMatch(x -> Double.isNaN(x.value()));
  }

  // ---------------------------------------------------------------- sequences

  /** Four pools of random hand-built sequences: only numbers, one variable, two variables, all types. */
  private static Map<String, List<VarAssignExample>> pools() {
    Random r = new Random(7);
    Map<String, List<VarAssignExample>> pools = new LinkedHashMap<>();
    pools.put("numbers", sequences(r, 60, 0));
    List<VarAssignExample> one = new ArrayList<>(sequences(r, 40, 1));
    one.addAll(sequences(r, 40, 2));
    pools.put("one_var", one);
    pools.put("two_var", sequences(r, 80, 3));
    List<VarAssignExample> mixed = new ArrayList<>();
    for (int type = 0; type < VarAssignRules.TYPES; type++) {
      mixed.addAll(sequences(r, 25, type));
    }
    Collections.shuffle(mixed, r);
    pools.put("mixed", mixed);
    return pools;
  }

  private static List<VarAssignExample> sequences(Random r, int count, int type) {
    List<VarAssignExample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(random(r, type));
    }
    return out;
  }

  /** A sequence laid out as the generator does: k assignments of distinct variables, PADs in random gaps. */
  private static VarAssignExample random(Random r, int type) {
    int need = type == VarAssignRules.TYPE_TWO_VARS ? 2 : 1;
    int k = need + r.nextInt(VarAssignRules.MAX_ASSIGNMENTS - need + 1);
    List<Integer> vars = new ArrayList<>();
    for (int v = 0; v < VarAssignRules.VARIABLES; v++) {
      vars.add(v);
    }
    Collections.shuffle(vars, r);
    int[] values = new int[k];
    int[] varPos = new int[k];
    int[] gaps = new int[k + 1];
    for (int pad = 0; pad < VarAssignRules.PREFIX_LEN - 2 * k; pad++) {
      gaps[r.nextInt(k + 1)]++;
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, k).boxed().toList());
    Collections.shuffle(order, r); // assignment order[s] occupies slot s
    int p = 0;
    for (int s = 0; s < k; s++) {
      p += gaps[s];
      varPos[order.get(s)] = p;
      values[order.get(s)] = r.nextInt(P);
      p += 2;
    }
    int[] tokens = prefix(varPos, vars.stream().mapToInt(Integer::intValue).limit(k).toArray(), values);
    int n1 = r.nextInt(P);
    int n2 = r.nextInt(P);
    int lhs = n1;
    int rhs = n2;
    int leftVar = -1;
    int rightVar = -1;
    int leftValuePos = -1;
    int rightValuePos = -1;
    // The operands' variables are assignments 0 (and 1), wherever the shuffle put them.
    if (type == VarAssignRules.TYPE_VAR_LEFT || type == VarAssignRules.TYPE_TWO_VARS) {
      leftVar = vars.get(0);
      n1 = values[0];
      lhs = VarAssignRules.variableToken(leftVar);
      leftValuePos = varPos[0] + 1;
    }
    if (type == VarAssignRules.TYPE_VAR_RIGHT || type == VarAssignRules.TYPE_TWO_VARS) {
      int a = type == VarAssignRules.TYPE_TWO_VARS ? 1 : 0;
      rightVar = vars.get(a);
      n2 = values[a];
      rhs = VarAssignRules.variableToken(rightVar);
      rightValuePos = varPos[a] + 1;
    }
    return example(type, tokens, lhs, rhs, n1, n2, leftVar, rightVar, leftValuePos, rightValuePos);
  }

  /** A full-length token array whose prefix holds {@code [var value]} at the given positions, PAD elsewhere. */
  private static int[] prefix(int[] varPositions, int[] vars, int[] values) {
    int[] tokens = new int[T];
    Arrays.fill(tokens, 0, VarAssignRules.PREFIX_LEN, VarAssignRules.PAD);
    for (int a = 0; a < vars.length; a++) {
      tokens[varPositions[a]] = VarAssignRules.variableToken(vars[a]);
      tokens[varPositions[a] + 1] = values[a];
    }
    return tokens;
  }

  private static VarAssignExample example(
      int type, int[] tokens, int lhs, int rhs, int n1, int n2, int leftVar, int rightVar, int leftValuePos,
      int rightValuePos) {
    tokens[VarAssignRules.PLUS_POS] = VarAssignRules.PLUS;
    tokens[VarAssignRules.LHS_POS] = lhs;
    tokens[VarAssignRules.RHS_POS] = rhs;
    tokens[VarAssignRules.EQUALS_POS] = VarAssignRules.EQUALS;
    return new VarAssignExample(0, type, tokens, VarAssignRules.label(n1, n2), n1, n2, leftVar, rightVar,
        leftValuePos, rightValuePos, "hand");
  }

  // ---------------------------------------------------------------- model plumbing

  private static ModelConfig config() {
    return new ModelConfig(VarAssignRules.VOCAB_SIZE, VarAssignRules.CLASSES, T, D, D_FF, D, 1, 2,
        NormPlacement.NONE, true, Set.of(0), false, Set.of());
  }

  /** Runs the probes on a one-member model whose parameters are {@code w} (absent ones zero). */
  private static List<ProbeRow> probe(VarAssignProbes probes, Map<String, float[]> w) {
    return probe(probes, w, config());
  }

  private static List<ProbeRow> probe(VarAssignProbes probes, Map<String, float[]> w, ModelConfig config) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      Map<String, WeightMatrix> weights = new LinkedHashMap<>();
      for (ParameterLayout.Entry e : ParameterLayout.of(config)) {
        float[] values = w.getOrDefault(e.name(), new float[e.rows() * e.cols()]);
        assertThat(values).as(e.name()).hasSize(e.rows() * e.cols());
        tensors.put(e.name(), Tensors.of(manager, values, new Shape(1, e.rows(), e.cols())));
        weights.put(e.name(), new WeightMatrix(e.name(), e.rows(), e.cols(), values));
      }
      PackedTransformer model = new PackedTransformer(config, new ParameterSet(tensors));
      return probes.probe("hand", 0, model, weights);
    }
  }

  private static float[] identity() {
    float[] m = new float[D * D];
    for (int i = 0; i < D; i++) {
      m[i * D + i] = 1;
    }
    return m;
  }

  private static double value(List<ProbeRow> rows, String probe, String set, String bucket, int layer) {
    ProbeRow row = rows.stream()
        .filter(r -> r.probe().equals(probe) && Objects.equals(set, r.probeSet()) && r.bucket().equals(bucket))
        .findFirst().orElseThrow(() -> new AssertionError("no row " + probe + "/" + set + "/" + bucket));
    assertThat(row.layer()).as(probe).isEqualTo(layer);
    assertThat(row.head()).as(probe).isNull();
    return row.value();
  }
}
