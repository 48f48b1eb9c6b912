package io.mechsweep.jobs.cli;

/** Exit codes: all good; an internal error (a bug); bad input; some runs of the study failed. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;
  public static final int BAD_INPUT = 2;
  public static final int RUNS_FAILED = 3;

  private ExitCodes() {}
}
