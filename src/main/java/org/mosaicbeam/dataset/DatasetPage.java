package org.mosaicbeam.dataset;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
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
 * class with a bar chart of the boxes, images per split, dead letters by kind and the warnings, all
 * from report.json itself (the page cannot disagree with it); a histogram of the boxes' widths,
 * from the dataset's images; a grid of sample images with their boxes drawn; the first rows of
 * dead-letters.csv. One file, its chart inline as a data: URI: a dataset folder's files stay the
 * flat list upload and validate-dataset read.
 */
final class DatasetPage {
  static final String PAGE = "report.html";
  private static final int CHART_WIDTH = 800;

  private DatasetPage() {}

  /** Dead-letter rows shown on the page; the rest are in dead-letters.csv. */
  static final int DEAD_LETTER_ROWS = 100;

  /** Sample images shown, and their width in pixels. */
  static final int SAMPLES = 24;

  private static final int THUMB_WIDTH = 240;

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

    s.append("<section id=\"splits\">\n<h2>Images per split</h2>\n<table>\n");
    report
        .path("images_per_split")
        .fields()
        .forEachRemaining(
            e -> {
              s.append("<tr class=\"split\"")
                  .append(data("split", TextNode.valueOf(e.getKey())))
                  .append(data("images", e.getValue()))
                  .append(">");
              s.append("<th>")
                  .append(HtmlPage.esc(e.getKey().isEmpty() ? "(no rows)" : e.getKey()))
                  .append("</th><td>")
                  .append(e.getValue().asLong())
                  .append("</td></tr>\n");
            });
    s.append("</table>\n</section>\n");

    s.append("<section id=\"dead-letters\">\n<h2>Dead letters by kind</h2>\n<table>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("dead_letters").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      HtmlPage.row(s, e.getKey(), e.getValue().asLong());
    }
    s.append("</table>\n</section>\n");
    boxSizes(s, kept);
    Map<Integer, String> names = new HashMap<>();
    report
        .path("classes")
        .forEach(c -> names.put(c.path("class_id").asInt(), c.path("name").asText()));
    samples(s, kept, names);
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

  /**
   * Up to {@link #SAMPLES} images of the dataset with their boxes and class names drawn, inline as
   * small JPEGs. The same dataset shows the same images: they are chosen by a hash of their ImageID
   * (String.hashCode is fixed by the language), not at random.
   */
  private static void samples(StringBuilder s, List<ImageRecord> kept, Map<Integer, String> names) {
    List<ImageRecord> chosen = new ArrayList<>(kept);
    chosen.sort(
        Comparator.comparingInt((ImageRecord r) -> r.imageId().hashCode())
            .thenComparing(ImageRecord::imageId));
    chosen = new ArrayList<>(chosen.subList(0, Math.min(SAMPLES, chosen.size())));
    chosen.sort(Comparator.comparing(ImageRecord::imageId));
    StringBuilder grid = new StringBuilder();
    int shown = 0;
    for (ImageRecord r : chosen) {
      byte[] jpeg = thumbnail(r, names);
      if (jpeg != null) {
        shown++;
        grid.append("<figure><img alt=\"")
            .append(HtmlPage.esc(r.imageId()))
            .append("\" src=\"data:image/jpeg;base64,")
            .append(Base64.getEncoder().encodeToString(jpeg))
            .append("\"><figcaption>")
            .append(HtmlPage.esc(r.imageId()))
            .append(" · ")
            .append(r.boxes().size())
            .append(" box(es)</figcaption></figure>\n");
      }
    }
    s.append("<section id=\"samples\" data-shown=\"")
        .append(shown)
        .append("\">\n<h2>Sample images</h2>\n<div class=\"thumbs\">\n")
        .append(grid)
        .append("</div>\n");
    if (shown < chosen.size()) {
      s.append("<p class=\"note\">")
          .append(chosen.size() - shown)
          .append(" chosen image(s) could not be read back for a thumbnail.</p>\n");
    }
    s.append("</section>\n");
  }

  /** The image THUMB_WIDTH px wide with its boxes drawn, as a JPEG; null when it cannot be read. */
  private static byte[] thumbnail(ImageRecord r, Map<Integer, String> names) {
    try (InputStream in =
            Channels.newInputStream(
                FileSystems.open(FileSystems.matchNewResource(r.image().path(), false)));
        Mat raw = new Mat(new BytePointer(in.readAllBytes()));
        Mat image = imdecode(raw, IMREAD_COLOR);
        Mat small = new Mat();
        BytePointer jpeg = new BytePointer();
        IntPointer quality = new IntPointer(IMWRITE_JPEG_QUALITY, 80)) {
      if (image.empty()) {
        return null;
      }
      double scale = (double) THUMB_WIDTH / image.cols();
      resize(
          image, small, new Size(THUMB_WIDTH, Math.max(1, (int) Math.round(image.rows() * scale))));
      Scalar colour = new Scalar(0, 200, 255, 0);
      for (PixelBox b : r.boxes()) {
        int x = (int) Math.round(b.left() * scale);
        int y = (int) Math.round(b.top() * scale);
        rectangle(
            small,
            new Rect(
                x,
                y,
                Math.max(1, (int) Math.round(b.width() * scale)),
                Math.max(1, (int) Math.round(b.height() * scale))),
            colour,
            1,
            8,
            0);
        putText(
            small,
            names.getOrDefault(b.classId(), String.valueOf(b.classId())),
            new Point(x, Math.max(10, y - 3)),
            FONT_HERSHEY_SIMPLEX,
            0.35,
            colour,
            1,
            8,
            false);
      }
      imencode(".jpg", small, jpeg, quality);
      byte[] bytes = new byte[(int) jpeg.limit()];
      jpeg.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      return null; // the page says how many could not be shown; report.json is the contract
    }
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
