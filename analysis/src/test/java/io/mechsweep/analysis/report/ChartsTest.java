package io.mechsweep.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Every picture of the report renders headless to a real PNG of the size it asks for. */
class ChartsTest {
  @Test
  void phaseDiagramColoursEachCellByItsSolutionType() throws IOException {
    BufferedImage img = decode(Charts.phaseDiagram("t", List.of(
        new Charts.Cell(2, 0.3, "symmetric", 1.0, 0.0, 0.98),
        new Charts.Cell(2, 0.8, "inferential", 1.0, 0.97, 0.01),
        new Charts.Cell(3, 0.3, "no_fit", 0.4, null, null))));
    assertThat(img.getWidth()).isGreaterThanOrEqualTo(640);
    assertThat(containsColour(img, Charts.TYPE_COLORS.get("symmetric").getRGB())).isTrue();
    assertThat(containsColour(img, Charts.TYPE_COLORS.get("inferential").getRGB())).isTrue();
    assertThat(containsColour(img, Charts.TYPE_COLORS.get("no_fit").getRGB())).as("no_fit shaded").isTrue();
    assertThat(containsColour(img, Charts.TYPE_COLORS.get("other").getRGB())).isFalse();
  }

  @Test
  void curvesHeatmapsAndSpectraRender() throws IOException {
    double[] steps = {0, 10, 20};
    assertThat(decode(Charts.trainingCurves("c", steps, new double[] {5, 2, 1}, steps,
        new double[] {0, .5, 1}, new double[] {0, .1, .2}, new double[] {0, .4, .8})).getHeight()).isEqualTo(400);
    BufferedImage heat = decode(Charts.attentionFlow("a", List.of("a", "b"), List.of("x", "y", "z"),
        List.of(new double[][] {{1, 0, 0}, {.5, .5, 0}}, new double[][] {{0, 1, 0}, {0, 0, 1}})));
    assertThat(heat.getWidth()).as("two layers side by side").isEqualTo(2 * 420);
    assertThat(decode(Charts.spectra("s", "W_Q", Map.of(0.3, new double[] {4, 2, 1}, 0.8, new double[] {4, .1, .01})))
        .getWidth()).isEqualTo(640);
    assertThat(decode(Charts.versusGamma("v", "rank", Map.of(2, new double[][] {{0.3, 0.8}, {40, 12}}))).getWidth())
        .isEqualTo(480);
  }

  @Test
  void curvesOverStepsDrawEverySeriesAndThePhaseMarks() throws IOException {
    Map<String, double[][]> pools = new java.util.LinkedHashMap<>();
    pools.put("train_0var", new double[][] {{0, 100, 200}, {0.1, 0.95, 1.0}});
    pools.put("both_restricted_2var", new double[][] {{0, 100, 200}, {0.0, 0.2, 0.6}});
    BufferedImage withMark = decode(Charts.curves("c", "accuracy", pools, Map.of("addition", 100)));
    assertThat(withMark.getWidth()).isEqualTo(900);
    assertThat(containsColour(withMark, 0x1f77b4)).as("first series").isTrue();
    assertThat(containsColour(withMark, 0xff7f0e)).as("second series").isTrue();
    assertThat(containsColour(withMark, Charts.PHASE_MARK.getRGB())).as("the phase mark").isTrue();
    assertThat(containsColour(decode(Charts.curves("c", "accuracy", pools, Map.of())), Charts.PHASE_MARK.getRGB()))
        .as("no mark without a phase").isFalse();
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img).isNotNull();
    return img;
  }

  private static boolean containsColour(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
          return true;
        }
      }
    }
    return false;
  }
}
