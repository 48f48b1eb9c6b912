package io.mechsweep.training;

import ai.djl.Device;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.training.eval.Evaluator;
import java.util.List;
import java.util.Locale;

/**
 * The device memory one run of a pack takes, measured rather than modelled: one real training
 * step ({@link PackTrainer#stepTensorBytes}) of a one-run pack at two small batch sizes, on the
 * CPU, separates what a run holds whatever its batch (parameters, gradients, AdamW's moments, the
 * update's temporaries) from what each sequence of a batch adds (activations). Every tensor of a
 * pack has the pack size as its leading axis, so K runs take K times one run; tensor shapes do not
 * depend on the device, so a GPU holds the same bytes, plus what the GPU itself needs.
 *
 * @param fixedBytes what a run holds whatever its batch
 * @param bytesPerSequence what each sequence of a training batch adds
 * @param sequences the sequences a run processes at once: its batch, or the evaluation's chunk
 *     when that is larger (evaluation keeps a forward pass's activations, which are fewer per
 *     sequence than a training step's, so counting them at the training step's rate errs high)
 */
public record PackMemory(long fixedBytes, long bytesPerSequence, int sequences) {
  /**
   * Taken off a GPU's memory before packing: the CUDA context, cuBLAS's workspaces and
   * libtorch's kernels, once per process. Chosen, not measured (gpu-check's speed phase prints
   * the measured peak beside the estimate).
   */
  public static final long GPU_RESERVE_BYTES = 1L << 30;
  /**
   * The share of the rest kept free: the caching allocator's rounding and fragmentation, and the
   * backward pass's own temporaries, which the step's tensors do not include. Chosen, not measured.
   */
  public static final double GPU_HEADROOM = 0.15;
  private static final int SMALL_BATCH = 2;

  /** What one run of {@code pack} takes, from two one-step trainings of its first member on the CPU. */
  public static PackMemory measure(PackSpec pack, TaskData data) {
    long small = stepBytes(pack, data, SMALL_BATCH);
    long twice = stepBytes(pack, data, 2 * SMALL_BATCH);
    long perSequence = (twice - small) / SMALL_BATCH;
    int evalRows = data.evalSets().stream().mapToInt(s -> s.table().rows()).max().orElse(0);
    return new PackMemory(small - SMALL_BATCH * perSequence, perSequence,
        Math.max(pack.train().batchSize(), Math.min(Evaluator.CHUNK, evalRows)));
  }

  private static long stepBytes(PackSpec pack, TaskData data, int batch) {
    TrainConfig t = pack.train();
    TrainConfig oneStep = new TrainConfig(1, batch, t.beta1(), t.beta2(), t.eps(), t.schedule(), t.clipNorm(), 1, 1, 0);
    PackSpec single = new PackSpec(pack.packId(), pack.model(), oneStep, pack.mimic(), List.of(pack.members().get(0)));
    return new PackTrainer(single, data, null, Device.cpu()).stepTensorBytes();
  }

  /** The bytes one run takes. */
  public long runBytes() {
    return fixedBytes + bytesPerSequence * sequences;
  }

  /** How many runs fit a GPU of {@code gpuBytes} after {@link #GPU_RESERVE_BYTES} and {@link #GPU_HEADROOM}; 0 when none. */
  public int runsFitting(long gpuBytes) {
    double usable = (gpuBytes - GPU_RESERVE_BYTES) * (1 - GPU_HEADROOM);
    return usable <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) (usable / runBytes()));
  }

  /** The smallest GPU that holds {@code runs} runs: their bytes, the headroom and the reserve. */
  public long gpuBytesFor(int runs) {
    return GPU_RESERVE_BYTES + (long) Math.ceil(runs * (double) runBytes() / (1 - GPU_HEADROOM));
  }

  /** E.g. "1.15 GiB per run (104.4 MiB + 2048 sequences × 535.4 KiB)". */
  public String describe() {
    return String.format(Locale.ROOT, "%s per run (%s + %d sequences × %s)", size(runBytes()), size(fixedBytes),
        sequences, size(bytesPerSequence));
  }

  /** Bytes in KiB, MiB or GiB, two to three significant digits. */
  public static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }
}
