package io.mechsweep.analysis.report;

import io.mechsweep.analysis.anchor.SolutionType;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's pictures as PNG bytes, each a pure function of the numbers it shows. */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true"); // executors and CI have no display
  }

  /** Colours per solution type; no_fit is the shaded grey cell of the paper's diagram. */
  static final Map<String, Color> TYPE_COLORS =
      Map.of(
          SolutionType.INFERENTIAL.label(), new Color(0x1f77b4),
          SolutionType.SYMMETRIC.label(), new Color(0xff7f0e),
          SolutionType.OTHER.label(), new Color(0x9467bd),
          SolutionType.NO_FIT.label(), new Color(0xbbbbbb),
          "failed", new Color(0x333333));

  /** Twelve distinguishable colours (a pool curve per colour: varassign has ten pools). */
  private static final Color[] SERIES_COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    new Color(0x393b79), new Color(0xad494a)
  };

  /** The dashed vertical lines at phase steps; a colour no series uses. */
  static final Color PHASE_MARK = new Color(0x6a3d9a);

  private Charts() {}

  /** One phase-diagram cell, as the {@code anchor_phase_diagram} view has it. */
  public record Cell(int depth, double gamma, String solutionType, Double seen, Double inferential, Double symmetric) {}

  /** γ on x, depth on y, one square per cell coloured by solution type, accuracies written in. */
  public static byte[] phaseDiagram(String title, List<Cell> cells) throws IOException {
    XYChart chart =
        new XYChartBuilder().width(Math.max(640, 140 * distinctGammas(cells) + 200))
            .height(Math.max(360, 110 * distinctDepths(cells) + 160))
            .title(title).xAxisTitle("γ (initialization rate: σ = d_in^-γ)").yAxisTitle("depth").build();
    chart.getStyler().setMarkerSize(60);
    chart.getStyler().setLegendVisible(false); // the legend would repeat 60-pixel squares: cells are labelled instead
    chart.getStyler().setYAxisDecimalPattern("#");
    chart.getStyler().setXAxisDecimalPattern("0.0#");
    double gMin = cells.stream().mapToDouble(Cell::gamma).min().orElse(0);
    double gMax = cells.stream().mapToDouble(Cell::gamma).max().orElse(1);
    double pad = Math.max(0.1, (gMax - gMin) * 0.15);
    chart.getStyler().setXAxisMin(gMin - pad).setXAxisMax(gMax + pad);
    chart.getStyler().setYAxisMin(cells.stream().mapToInt(Cell::depth).min().orElse(1) - 0.6);
    chart.getStyler().setYAxisMax(cells.stream().mapToInt(Cell::depth).max().orElse(1) + 0.6);
    for (String type : TYPE_COLORS.keySet().stream().sorted().toList()) {
      List<Cell> of = cells.stream().filter(c -> c.solutionType().equals(type)).toList();
      if (of.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(type, of.stream().mapToDouble(Cell::gamma).toArray(),
          of.stream().mapToDouble(Cell::depth).toArray());
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.SQUARE);
      s.setMarkerColor(TYPE_COLORS.get(type));
    }
    for (Cell c : cells) {
      chart.addAnnotation(new AnnotationText(c.solutionType(), c.gamma(), c.depth() + 0.36, false));
      String accuracies = c.inferential() == null // no learning rate fit: say how far it got
          ? "seen " + fmt(c.seen())
          : String.format(Locale.ROOT, "inf %s sym %s", fmt(c.inferential()), fmt(c.symmetric()));
      chart.addAnnotation(new AnnotationText(accuracies, c.gamma(), c.depth() - 0.36, false));
    }
    return png(chart);
  }

  /** Training loss (right axis) and the seen / (4,3)-inferential / (4,3)-symmetric accuracies. */
  public static byte[] trainingCurves(
      String title, double[] lossSteps, double[] loss, double[] evalSteps, double[] seen,
      double[] inferential, double[] symmetric) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(400).title(title).xAxisTitle("step").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setMarkerSize(5);
    chart.setYAxisGroupTitle(0, "accuracy");
    chart.setYAxisGroupTitle(1, "training loss");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setYAxisMin(0, 0.0).setYAxisMax(0, 1.0);
    if (evalSteps.length > 0) {
      line(chart, "seen pairs, held-out keys", evalSteps, seen, TYPE_COLORS.get("other"));
      line(chart, "(4,3) inferential (x-10)", evalSteps, inferential, TYPE_COLORS.get("inferential"));
      line(chart, "(4,3) symmetric (x-6)", evalSteps, symmetric, TYPE_COLORS.get("symmetric"));
    }
    if (lossSteps.length > 0) {
      XYSeries l = line(chart, "loss", lossSteps, loss, Color.GRAY);
      l.setMarker(SeriesMarkers.NONE);
      l.setYAxisGroup(1);
    }
    return png(chart);
  }

  /**
   * Attention between sequence roles, one heatmap per layer side by side.
   *
   * @param perLayer {@code [layer][queryRole][keyRole]}
   */
  public static byte[] attentionFlow(
      String title, List<String> queryRoles, List<String> keyRoles, List<double[][]> perLayer) throws IOException {
    List<HeatMapChart> charts = new ArrayList<>();
    for (int l = 0; l < perLayer.size(); l++) {
      HeatMapChart chart =
          new HeatMapChartBuilder().width(420).height(360).title(title + " — layer " + (l + 1)).build();
      chart.getStyler().setShowValue(true).setMin(0).setMax(1).setHeatMapValueDecimalPattern("0.00");
      chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x08306b)});
      chart.getStyler().setLegendVisible(false);
      chart.getStyler().setValueFontColor(new Color(0xd62728));
      List<Number[]> cells = new ArrayList<>();
      for (int q = 0; q < queryRoles.size(); q++) {
        for (int k = 0; k < keyRoles.size(); k++) {
          cells.add(new Number[] {k, q, perLayer.get(l)[q][k]});
        }
      }
      chart.addSeries("attention", keyRoles.stream().map(r -> "→" + r).toList(), queryRoles, cells);
      chart.setXAxisTitle("attended position");
      chart.setYAxisTitle("from");
      charts.add(chart);
    }
    return png(charts, 1, charts.size());
  }

  /** Singular values normalized by the largest, one line per γ (mean over that γ's runs). */
  public static byte[] spectra(String title, String matrix, Map<Double, double[]> byGamma) throws IOException {
    XYChart chart = new XYChartBuilder().width(640).height(400).title(title)
        .xAxisTitle("index i").yAxisTitle("σ_i / σ_1 of " + matrix).build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(4);
    byGamma.forEach((gamma, sv) -> {
      double[] x = new double[sv.length];
      double[] y = new double[sv.length];
      for (int i = 0; i < sv.length; i++) {
        x[i] = i + 1;
        y[i] = Math.max(sv[i] / sv[0], 1e-6);
      }
      chart.addSeries(String.format(Locale.ROOT, "γ = %.2f", gamma), x, y);
    });
    return png(chart);
  }

  /**
   * Curves over training steps, one series per name ({@code [steps, values]}), with vertical
   * dashed lines at the named steps (e.g. the phases a view found).
   */
  public static byte[] curves(String title, String yTitle, Map<String, double[][]> series,
      Map<String, Integer> markedSteps) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE); // many series: one per line
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setSeriesColors(SERIES_COLORS);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      if (e.getValue()[0].length > 0) {
        chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
        for (double v : e.getValue()[1]) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!Double.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    for (Map.Entry<String, Integer> m : markedSteps.entrySet()) {
      XYSeries line = chart.addSeries(m.getKey() + " " + m.getValue(), new double[] {m.getValue(), m.getValue()},
          new double[] {lo, hi});
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(PHASE_MARK);
      line.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
          10f, new float[] {4f, 4f}, 0f));
    }
    return png(chart);
  }

  /** Lines over any x axis, one series per name ({@code [x, y]}). */
  public static byte[] lines(String title, String xTitle, String yTitle, Map<String, double[][]> series)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(6);
    chart.getStyler().setSeriesColors(SERIES_COLORS);
    series.forEach((name, xy) -> {
      if (xy[0].length > 0) {
        chart.addSeries(name, xy[0], xy[1]);
      }
    });
    return png(chart);
  }

  /** One attention pattern, {@code [query][key]}, as a heatmap without cell labels. */
  public static byte[] attentionMap(String title, double[][] pattern) throws IOException {
    return heatmap(title, pattern, "key position", "query position", 0, 1, Color.WHITE);
  }

  /**
   * A square matrix {@code [row][col]} as a heatmap without cell labels with its colour scale:
   * white to dark blue, or red through white (at 0) to dark blue when values are negative too.
   */
  public static byte[] heatmap(String title, double[][] matrix, String xTitle, String yTitle) throws IOException {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : matrix) {
      for (double v : row) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo < 0) { // symmetric, so white (the middle colour) sits at 0
      hi = Math.max(-lo, hi);
      lo = -hi;
    }
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    return heatmap(title, matrix, xTitle, yTitle, lo, hi, lo < 0 ? new Color(0xb2182b) : Color.WHITE);
  }

  private static byte[] heatmap(String title, double[][] matrix, String xTitle, String yTitle, double min, double max,
      Color low) throws IOException {
    int t = matrix.length;
    HeatMapChart chart = new HeatMapChartBuilder().width(720).height(640).title(title).build();
    chart.getStyler().setShowValue(false).setMin(min).setMax(max);
    chart.getStyler().setRangeColors(low.equals(Color.WHITE) ? new Color[] {Color.WHITE, new Color(0x08306b)}
        : new Color[] {low, Color.WHITE, new Color(0x08306b)});
    chart.getStyler().setLegendVisible(!low.equals(Color.WHITE) || min != 0 || max != 1);
    List<Number[]> cells = new ArrayList<>();
    List<Integer> axis = new ArrayList<>();
    for (int q = 0; q < t; q++) {
      axis.add(q);
      for (int k = 0; k < t; k++) {
        cells.add(new Number[] {k, q, matrix[q][k]});
      }
    }
    chart.addSeries("values", axis, axis, cells);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    return png(chart);
  }

  /** A probe value per run against γ, one series per depth. */
  public static byte[] versusGamma(String title, String yTitle, Map<Integer, double[][]> gammaValueByDepth)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(480).height(360).title(title).xAxisTitle("γ").yAxisTitle(yTitle).build();
    chart.getStyler().setMarkerSize(9);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    gammaValueByDepth.forEach((depth, points) -> {
      XYSeries s = chart.addSeries("depth " + depth, points[0], points[1]);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    });
    return png(chart);
  }

  private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setLineColor(color);
    s.setMarkerColor(color);
    return s;
  }

  private static int distinctGammas(List<Cell> cells) {
    return (int) cells.stream().map(Cell::gamma).distinct().count();
  }

  private static int distinctDepths(List<Cell> cells) {
    return (int) cells.stream().map(Cell::depth).distinct().count();
  }

  private static String fmt(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  static <T extends Chart<?, ?>> byte[] png(T chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  static <T extends Chart<?, ?>> byte[] png(List<T> charts, int rows, int cols) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
    return out.toByteArray();
  }
}
