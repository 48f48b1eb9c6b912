package io.mechsweep.datagen.lego;

import java.util.Locale;

/**
 * The order of a sequence's clauses: shuffled (the task) or sorted in chain order (the shortcut
 * control: a model can then read the chain left to right without following names).
 */
public enum LegoOrder {
  SHUFFLED,
  SORTED;

  /** The name used in configs, tables and eval-set names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LegoOrder of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
