package io.mechsweep.analysis.probes;

import java.io.Serializable;

/**
 * One measurement of one checkpoint: a row of the {@code probes} table.
 *
 * @param tensor the parameter measured (weight probes, e.g. {@code blocks.0.attn.q}); null for
 *     probes of activations
 * @param layer 0-based block index (parameter names use the same); null when not per layer
 * @param head attention head; null when not per head
 * @param probeSet the sequences the forward pass ran on (e.g. {@code unseen_pair}); null for
 *     weight probes
 * @param bucket what within the probe: a singular-value index, an attention edge such as
 *     {@code last->key}, or {@code all}
 */
public record ProbeRow(
    String runId,
    int step,
    String probe,
    String tensor,
    Integer layer,
    Integer head,
    String probeSet,
    String bucket,
    double value)
    implements Serializable {
  public static final String ALL = "all";
}
