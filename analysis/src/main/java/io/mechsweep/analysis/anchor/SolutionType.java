package io.mechsweep.analysis.anchor;

import java.util.Locale;

/** How a run answers the unseen anchor pair (4,3) (TASKS.md, Study 1). */
public enum SolutionType {
  /** Composes the two shifts: x-10. */
  INFERENTIAL,
  /** Reuses the answer learned for (3,4): x-6. */
  SYMMETRIC,
  /** Fits the seen pairs but answers (4,3) neither way. */
  OTHER,
  /** Does not reach the fit threshold on seen pairs with held-out keys. */
  NO_FIT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
