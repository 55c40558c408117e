package org.mosaicbeam.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
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
import org.jfree.data.category.DefaultCategoryDataset;
import org.mosaicbeam.io.HtmlPage;

/**
 * The dataset's {@code report.html} beside its report.json: the image counts, boxes and images per
 * class with a bar chart of the boxes, dead letters by kind and the warnings, all from report.json
 * itself (the page cannot disagree with it). One file, its chart inline as a data: URI: a dataset
 * folder's files stay the flat list upload and validate-dataset read.
 */
final class DatasetPage {
  static final String PAGE = "report.html";
  private static final int CHART_WIDTH = 800;

  private DatasetPage() {}

  static String html(JsonNode report) throws IOException {
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
    s.append("<img class=\"chart\" alt=\"boxes per class\" width=\"")
        .append(CHART_WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(chart(boxes, height)))
        .append("\">\n</section>\n");

    s.append("<section id=\"dead-letters\">\n<h2>Dead letters by kind</h2>\n<table>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("dead_letters").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      HtmlPage.row(s, e.getKey(), e.getValue().asLong());
    }
    s.append("</table>\n</section>\n");
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
