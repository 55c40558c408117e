package org.mosaicbeam.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.mosaicbeam.io.HtmlPage;

/**
 * The dataset's {@code report.html} beside its report.json: the image counts, boxes and images per
 * class with a bar chart of the boxes, dead letters by kind and the warnings, all from report.json
 * itself (the page cannot disagree with it); a histogram of the boxes' widths, from the dataset's
 * images; the first rows of dead-letters.csv. One file, its chart inline as a data: URI: a dataset
 * folder's files stay the flat list upload and validate-dataset read.
 */
final class DatasetPage {
  static final String PAGE = "report.html";
  private static final int CHART_WIDTH = 800;

  private DatasetPage() {}

  /** Dead-letter rows shown on the page; the rest are in dead-letters.csv. */
  static final int DEAD_LETTER_ROWS = 100;

  /**
   * @param deadLetters the first rows of dead-letters.csv as written: file, line, reason
   * @param kept the images of the dataset (their boxes make the size histogram)
   */
  static String html(JsonNode report, List<List<String>> deadLetters, List<ImageRecord> kept)
      throws IOException {
    StringBuilder s = new StringBuilder();
    JsonNode required = report.path("required_class");
    s.append("<p>Images with the required class <b>")
        .append(HtmlPage.esc(required.path("name").asText()))
        .append("</b> (")
        .append(HtmlPage.esc(required.path("mid").asText()))
        .append(").</p>\n");
    s.append("<section id=\"images\"");
    JsonNode images = report.path("images");
    images.fields().forEachRemaining(e -> s.append(data(e.getKey(), e.getValue())));
    s.append(data("dead_letter_rows", report.path("dead_letter_rows")));
    s.append(">\n<h2>Images</h2>\n<table>\n");
    images
        .fields()
        .forEachRemaining(
            e -> HtmlPage.row(s, e.getKey().replace('_', ' '), e.getValue().asLong()));
    HtmlPage.row(s, "dead-letter rows", report.path("dead_letter_rows").asLong());
    s.append("</table>\n</section>\n");

    s.append("<section id=\"classes\">\n<h2>Classes</h2>\n<table>\n")
        .append("<tr><th>class</th><td>boxes</td><td>images</td></tr>\n");
    DefaultCategoryDataset boxes = new DefaultCategoryDataset();
    for (JsonNode c : report.path("classes")) {
      String name = c.path("name").asText();
      boxes.addValue(c.path("boxes").asLong(), "boxes", name);
      s.append("<tr class=\"class\"")
          .append(data("class_id", c.path("class_id")))
          .append(data("name", c.path("name")))
          .append(data("boxes", c.path("boxes")))
          .append(data("images", c.path("images")))
          .append("><th>")
          .append(c.path("class_id").asInt())
          .append(" ")
          .append(HtmlPage.esc(name))
          .append("</th><td>")
          .append(c.path("boxes").asLong())
          .append("</td><td>")
          .append(c.path("images").asLong())
          .append("</td></tr>\n");
    }
    s.append("</table>\n");
    int height = 120 + 28 * Math.max(1, report.path("classes").size());
    image(s, "boxes per class", chart(boxes, height), height);
    s.append("</section>\n");

    s.append("<section id=\"dead-letters\">\n<h2>Dead letters by kind</h2>\n<table>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("dead_letters").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      HtmlPage.row(s, e.getKey(), e.getValue().asLong());
    }
    s.append("</table>\n</section>\n");
    boxSizes(s, kept);
    deadLetterRows(s, deadLetters, report.path("dead_letter_rows").asLong());
    for (JsonNode w : report.path("warnings")) {
      s.append("<p class=\"warning\"><span class=\"tag bad\">warning</span> ")
          .append(HtmlPage.esc(w.asText()))
          .append("</p>\n");
    }
    s.append("<p class=\"note\">")
        .append(report.path("left_out").size())
        .append(" image(s) left out and ")
        .append(report.path("kept_despite_limits").size())
        .append(" kept despite Rekognition's limits: listed with their reasons in report.json,")
        .append(" beside this page, whose numbers these are.</p>\n");
    return HtmlPage.page("dataset", s.toString());
  }

  /** A histogram of the boxes' widths relative to their image's, and their pixel widths. */
  private static void boxSizes(StringBuilder s, List<ImageRecord> kept) throws IOException {
    List<Double> relative = new ArrayList<>();
    List<Integer> pixels = new ArrayList<>();
    for (ImageRecord r : kept) {
      for (PixelBox b : r.boxes()) {
        relative.add((double) b.width() / Math.max(1, r.image().width()));
        pixels.add(b.width());
      }
    }
    s.append("<section id=\"box-sizes\" data-boxes=\"").append(pixels.size()).append("\">\n");
    s.append("<h2>Box sizes</h2>\n");
    if (pixels.isEmpty()) {
      s.append("<p>No boxes.</p>\n</section>\n");
      return;
    }
    Collections.sort(pixels);
    s.append("<table>\n");
    HtmlPage.row(s, "narrowest box, px", pixels.get(0));
    HtmlPage.row(s, "median width, px", pixels.get(pixels.size() / 2));
    HtmlPage.row(s, "widest box, px", pixels.get(pixels.size() - 1));
    s.append("</table>\n");
    HistogramDataset widths = new HistogramDataset();
    widths.addSeries(
        "boxes", relative.stream().mapToDouble(Double::doubleValue).toArray(), 20, 0, 1);
    JFreeChart chart =
        ChartFactory.createHistogram(
            null,
            "box width / image width",
            "boxes",
            widths,
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    XYBarRenderer bars = (XYBarRenderer) chart.getXYPlot().getRenderer();
    bars.setBarPainter(new StandardXYBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, new Color(0x1f77b4));
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    image(s, "box widths", HtmlPage.png(chart, CHART_WIDTH, 300), 300);
    s.append("</section>\n");
  }

  /** The first dead-letter rows, as dead-letters.csv lists them. */
  private static void deadLetterRows(StringBuilder s, List<List<String>> rows, long total) {
    s.append("<section id=\"dead-letter-rows\" data-shown=\"")
        .append(rows.size())
        .append("\" data-total=\"")
        .append(total)
        .append("\">\n<h2>Dead letters</h2>\n");
    if (rows.isEmpty()) {
      s.append("<p>No dead letters: every row and image was used or left out for a reason above.")
          .append("</p>\n</section>\n");
      return;
    }
    s.append("<div class=\"scroll\"><table>\n<tr><th>file</th><td>line</td><td>reason</td></tr>\n");
    for (List<String> r : rows) {
      s.append("<tr class=\"dead-letter\"><th>")
          .append(HtmlPage.esc(r.get(0)))
          .append("</th><td>")
          .append(HtmlPage.esc(r.get(1)))
          .append("</td><td>")
          .append(HtmlPage.esc(r.get(2)))
          .append("</td></tr>\n");
    }
    s.append("</table></div>\n");
    if (total > rows.size()) {
      s.append("<p class=\"note\">The first ")
          .append(rows.size())
          .append(" of ")
          .append(total)
          .append(" rows; all of them are in dead-letters.csv beside this page.</p>\n");
    }
    s.append("</section>\n");
  }

  private static void image(StringBuilder s, String alt, byte[] png, int height) {
    s.append("<img class=\"chart\" alt=\"")
        .append(alt)
        .append("\" width=\"")
        .append(CHART_WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\">\n");
  }

  private static String data(String key, JsonNode value) {
    return " data-" + key.replace('_', '-') + "=\"" + HtmlPage.esc(value.asText()) + "\"";
  }

  /** Horizontal bars, one per class: a long class list stays readable. */
  private static byte[] chart(DefaultCategoryDataset boxes, int height) throws IOException {
    JFreeChart chart =
        ChartFactory.createBarChart(
            null, null, "boxes", boxes, PlotOrientation.HORIZONTAL, false, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    BarRenderer bars = (BarRenderer) plot.getRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, new Color(0x1f77b4));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CategoryAxis classes = plot.getDomainAxis();
    classes.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
    return HtmlPage.png(chart, CHART_WIDTH, height);
  }
}
