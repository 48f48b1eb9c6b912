package io.mechsweep.training.model;

/**
 * One attention head taken out of a forward pass: its output (the pattern times its values,
 * before W_O) replaced by zero, or by its mean over the batch's sequences and positions (mean
 * ablation keeps what the head adds on average and removes only what it reads per sequence).
 */
public record HeadAblation(int layer, int head, Mode mode) {
  public enum Mode { ZERO, MEAN }

  public HeadAblation {
    if (layer < 0 || head < 0 || mode == null) {
      throw new IllegalArgumentException("an ablation names a layer, a head and a mode: " + layer + " " + head);
    }
  }
}
