package io.mechsweep.training.mimic;

/**
 * The two reference attention maps of the LEGO paper, row-major {@code T × T} (query × key), and
 * the KL divergence both the mimicking stage and the probes measure against them. As in the
 * public code ({@code mimicking_experiments/lego_data.py}, {@code pretrain_mimic.py}), maps are
 * compared after smoothing every entry by {@value #SMOOTHING} and renormalizing, and the
 * divergence is KL(attention ‖ reference), so a reference's zeros cost a finite amount.
 */
public final class AttentionTargets {
  /** The local band's weights on keys i−2..i+2. */
  private static final float[] BAND = {1, 2, 4, 2, 1};

  /** Added to every entry of both maps before a KL divergence (the public code's 1e-3). */
  public static final float SMOOTHING = 1e-3f;

  private AttentionTargets() {}

  /** Each row plus {@link #SMOOTHING} everywhere, renormalized: every entry positive. */
  public static float[] smoothed(float[] map, int t) {
    float[] out = new float[map.length];
    for (int i = 0; i < map.length / t; i++) {
      float sum = 0;
      for (int j = 0; j < t; j++) {
        sum += map[i * t + j] + SMOOTHING;
      }
      for (int j = 0; j < t; j++) {
        out[i * t + j] = (map[i * t + j] + SMOOTHING) / sum;
      }
    }
    return out;
  }

  /** Mean over the rows of KL(smoothed attention ‖ smoothed reference); both row-major {@code T × T}. */
  public static double divergence(float[] attention, float[] reference, int t) {
    return divergenceFromSmoothed(attention, smoothed(reference, t), t);
  }

  /** {@link #divergence} against a reference already {@link #smoothed} (one reference, many heads). */
  public static double divergenceFromSmoothed(float[] attention, float[] q, int t) {
    float[] p = smoothed(attention, t);
    double kl = 0;
    for (int i = 0; i < p.length; i++) {
      kl += p[i] * (Math.log(p[i]) - Math.log(q[i]));
    }
    return kl / (p.length / t);
  }

  /** Query i attends to keys i−2..i+2 with weights 1, 2, 4, 2, 1, renormalized at the edges. */
  public static float[] localBand(int t) {
    float[] map = new float[t * t];
    for (int i = 0; i < t; i++) {
      float sum = 0;
      for (int o = -2; o <= 2; o++) {
        int j = i + o;
        if (j >= 0 && j < t) {
          map[i * t + j] = BAND[o + 2];
          sum += BAND[o + 2];
        }
      }
      for (int j = 0; j < t; j++) {
        map[i * t + j] /= sum;
      }
    }
    return map;
  }

  /**
   * Query i attends uniformly to the other positions holding its token (the association map); the
   * row of a token that occurs once is all zero (smoothing makes it uniform, as in the public code).
   */
  public static float[] association(int[] tokens) {
    int t = tokens.length;
    float[] map = new float[t * t];
    for (int i = 0; i < t; i++) {
      int same = 0;
      for (int j = 0; j < t; j++) {
        same += j != i && tokens[j] == tokens[i] ? 1 : 0;
      }
      for (int j = 0; j < t; j++) {
        map[i * t + j] = same > 0 && j != i && tokens[j] == tokens[i] ? 1f / same : 0f;
      }
    }
    return map;
  }
}
