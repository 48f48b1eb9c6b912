package io.mechsweep.analysis.report;

import java.io.IOException;

/** The sections of a study report that belong to its task (the page around them is shared). */
public interface TaskReport {
  void write(ReportPage page) throws IOException;

  /** Example commands shown at the end of the page, for the study's own views. */
  String exampleQueries(String root, String study);
}
