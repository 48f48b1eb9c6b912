package io.mechsweep.analysis.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The share of runs leaning inferential is reported with its 95% Wilson interval. */
class AnchorSummaryTest {

  @Test
  void wilsonIntervalsMatchTheTextbookValuesAndStayInsideZeroToOne() {
    // Wilson (1927) at z = 1.96: 3/6 → [0.188, 0.812]; 0/6 → [0, 0.390]; 6/6 → [0.610, 1]; 8/16 → [0.280, 0.720].
    assertThat(AnchorSummary.wilson(3, 6)).containsExactly(new double[] {0.1876, 0.8124}, within(1e-4));
    assertThat(AnchorSummary.wilson(0, 6)).containsExactly(new double[] {0.0, 0.3903}, within(1e-4));
    assertThat(AnchorSummary.wilson(6, 6)).containsExactly(new double[] {0.6097, 1.0}, within(1e-4));
    assertThat(AnchorSummary.wilson(8, 16)).containsExactly(new double[] {0.2800, 0.7200}, within(1e-4));
    assertThat(AnchorSummary.ahead(3, 6)).isEqualTo("3 of 6 [0.19, 0.81]");
    assertThat(AnchorSummary.ahead(0, 4)).isEqualTo("0 of 4 [0.00, 0.49]");
  }
}
