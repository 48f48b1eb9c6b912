package io.mechsweep.datagen;

/**
 * A SplitMix64 stream seeded from (dataset seed, stream, row index).
 *
 * <p>Why our own: every generated row must be a pure function of (seed, i) that never changes
 * with the JDK, the partitioning or the executor, so the algorithm is written down here.
 */
public final class RowRandom {
  private long state;

  private RowRandom(long state) {
    this.state = state;
  }

  /** The stream for row {@code index} of dataset {@code seed}; {@code stream} separates uses. */
  public static RowRandom of(long seed, long stream, long index) {
    return new RowRandom(mix(mix(seed ^ 0x9E3779B97F4A7C15L * (stream + 1)) + index));
  }

  public long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, bound) without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
    long r;
    do {
      r = nextLong() >>> 1;
    } while (r >= limit);
    return (int) (r % bound);
  }

  /** Uniform in [lo, hi] inclusive. */
  public int nextInt(int lo, int hi) {
    return lo + nextInt(hi - lo + 1);
  }

  /** A uniform permutation of 0..n−1 (Fisher–Yates, drawing from the last position down). */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Standard normal by Box–Muller (one of the pair; simple and reproducible). */
  public double nextGaussian() {
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 == 0.0);
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
