package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.mosaicbeam.io.HtmlPage;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.OutputSet;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.video.Ff;

/**
 * The run page, {@code report.html} beside {@code results.jsonl}: what a person opens after a batch
 * run. Per video: written or failed (and why), its counts, a chart of the regions masked per second
 * of video (faces, plates and frames masked whole apart) and a strip of thumbnails of the written,
 * masked MP4 at its busiest seconds. A stream ({@code --watch}) writes one beside each input's
 * results.jsonl ({@link #writeAlone}). It opens from file:// with no network ({@link HtmlPage});
 * the images are files in {@code report-files/} beside it (a page with 100 videos stays small).
 *
 * <p>The numbers are results.jsonl's (also in data-* attributes, which the page test compares); the
 * per-second counts come from the run's audit parts, the per-frame lines the segment workers write
 * (the same ones {@code --detections} publishes), so the chart and the report cannot disagree.
 *
 * <p>The page is a view, not the contract: results.jsonl is. {@link #write} never throws; a page
 * that cannot be made is one warning line and the run goes on.
 */
final class RunPage {
  static final String PAGE = "report.html";
  static final String FILES = "report-files/";
  static final int THUMBNAILS = 4;
  static final int THUMB_WIDTH = 320;
  private static final int CHART_WIDTH = 800;
  private static final int CHART_HEIGHT = 220;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Series of the chart: the audit's labels ("frame": a frame masked whole). */
  private static final List<String> LABELS = List.of(Detection.FACE, Detection.PLATE, "frame");

  private static final List<String> SERIES = List.of("faces", "plates", "frames masked whole");
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x7f7f7f)
  };

  private RunPage() {}

  /** One file of the page: its path relative to the page's folder, and its bytes. */
  record PageFile(String name, byte[] bytes) {}

  /**
   * Per second of one video: the regions masked, by label, and the busiest frame's time.
   *
   * @param counts second → regions per {@link #LABELS} entry
   * @param busiestFrame second → [time of the frame with the most regions, its regions]
   */
  record Timeline(TreeMap<Integer, long[]> counts, TreeMap<Integer, double[]> busiestFrame) {

    /** From a video's audit lines (one JSON object per frame, see README "--detections"). */
    static Timeline read(InputStream audit) throws IOException {
      TreeMap<Integer, long[]> counts = new TreeMap<>();
      TreeMap<Integer, double[]> busiest = new TreeMap<>();
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(audit, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode frame = JSON.readTree(line);
        double time = frame.path("time").asDouble();
        int second = (int) Math.floor(time);
        long[] c = counts.computeIfAbsent(second, s -> new long[LABELS.size()]);
        int regions = 0;
        for (JsonNode m : frame.path("masked")) {
          int i = LABELS.indexOf(m.path("label").asText());
          if (i >= 0) {
            c[i]++;
            regions++;
          }
        }
        double[] b = busiest.computeIfAbsent(second, s -> new double[] {time, -1});
        if (regions > b[1]) {
          b[0] = time;
          b[1] = regions;
        }
      }
      return new Timeline(counts, busiest);
    }

    long total(int second) {
      long t = 0;
      for (long n : counts.getOrDefault(second, new long[LABELS.size()])) {
        t += n;
      }
      return t;
    }

    /** The {@code n} seconds with the most regions masked (none without any), in time order. */
    List<Integer> busiestSeconds(int n) {
      return counts.keySet().stream()
          .filter(s -> total(s) > 0)
          .sorted(Comparator.comparingLong((Integer s) -> -total(s)).thenComparing(s -> s))
          .limit(n)
          .sorted()
          .toList();
    }
  }

  /**
   * Makes the page and stages it in {@code set} (published with the run's other files), or prints
   * one warning line and removes an earlier run's page (so no stale page describes this run).
   *
   * @param auditOf a written video's audit part (its per-frame lines), or null
   * @param readable where a written video's MP4 can be read now (its staging name)
   * @return the page's path, or null when it was not written
   */
  static String write(
      OutputSet set,
      String report,
      List<VideoResult> results,
      Function<VideoResult, String> auditOf,
      Function<VideoResult, String> readable) {
    String folder = AnonymizePipeline.parentOf(report);
    String page = folder + PAGE;
    try {
      List<PageFile> files = make(results, auditOf, readable);
      // the page last: a page is never published without its images
      for (PageFile f : files) {
        set.write(
            folder + f.name(),
            f.name().endsWith(".html")
                ? "text/html"
                : f.name().endsWith(".png") ? "image/png" : "image/jpeg",
            out -> out.write(f.bytes()));
      }
      return page;
    } catch (Exception | LinkageError | InternalError e) {
      // InternalError: AWT's font manager on a server whose font configuration is broken
      set.remove(page);
      System.err.println("anonymize: report page not written (" + e + ")");
      return null;
    }
  }

  /**
   * A stream's page of one report, published on its own as soon as its results are written; the
   * videos' audit parts in {@code workDir} make its charts and are deleted after. Never throws.
   *
   * @return the page's path, or null when it was not written
   */
  static String writeAlone(String report, List<VideoResult> results, String workDir) {
    Function<VideoResult, String> auditOf = r -> AnonymizeVideos.auditFile(workDir, r.video());
    try (OutputSet set = OutputSet.forFiles()) {
      String page = write(set, report, results, auditOf, VideoResult::output);
      set.publish();
      return page;
    } catch (IOException | RuntimeException e) {
      System.err.println("anonymize: report page not written (" + e + ")");
      return null;
    } finally {
      List<ResourceId> parts =
          results.stream().map(r -> FileSystems.matchNewResource(auditOf.apply(r), false)).toList();
      try {
        FileSystems.delete(parts, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException e) {
        // the work folder's leftovers are removed with it
      }
    }
  }

  /**
   * Removes {@code report-files/} when it is empty: staging its images creates it, and a run that
   * fails before publishing leaves nothing else.
   */
  static void removeEmptyFilesFolder(String outDir) {
    if (LocalFiles.isLocal(outDir)) {
      LocalFiles.localFile(outDir + FILES).delete(); // only an empty folder is deleted
    }
  }

  /** The page's files, the page itself last. */
  static List<PageFile> make(
      List<VideoResult> results,
      Function<VideoResult, String> auditOf,
      Function<VideoResult, String> readable)
      throws Exception {
    List<PageFile> files = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    long written = results.stream().filter(VideoResult::written).count();
    long frames = results.stream().mapToLong(VideoResult::frames).sum();
    long regions = results.stream().mapToLong(VideoResult::regionsMasked).sum();
    long whole = results.stream().mapToLong(VideoResult::framesMaskedWhole).sum();
    body.append(
        String.format(
            Locale.ROOT,
            "<p class=\"totals\" id=\"totals\" data-videos=\"%d\" data-written=\"%d\""
                + " data-failed=\"%d\" data-frames=\"%d\" data-regions=\"%d\" data-whole=\"%d\">"
                + "%d video(s): <b>%d written</b>, <b class=\"%s\">%d failed</b> &middot; %d frames"
                + " &middot; %d regions masked &middot; %d frames masked whole</p>\n",
            results.size(),
            written,
            results.size() - written,
            frames,
            regions,
            whole,
            results.size(),
            written,
            results.size() == written ? "" : "bad",
            results.size() - written,
            frames,
            regions,
            whole));
    for (VideoResult r : results) {
      body.append(section(r, auditOf, readable, files));
    }
    body.append("<p class=\"note\">The numbers are those of results.jsonl beside this page.</p>\n");
    files.add(
        new PageFile(
            PAGE,
            HtmlPage.page("anonymize run", body.toString()).getBytes(StandardCharsets.UTF_8)));
    return files;
  }

  private static String section(
      VideoResult r,
      Function<VideoResult, String> auditOf,
      Function<VideoResult, String> readable,
      List<PageFile> files)
      throws Exception {
    StringBuilder s = new StringBuilder();
    String id = AnonymizeVideos.videoId(r.video());
    s.append("<section class=\"video ")
        .append(r.written() ? "written" : "failed")
        .append("\" data-video=\"")
        .append(HtmlPage.esc(r.video()))
        .append("\" data-status=\"")
        .append(r.written() ? "written" : "failed")
        .append(
            String.format(
                Locale.ROOT,
                "\" data-frames=\"%d\" data-regions=\"%d\" data-whole=\"%d\"",
                r.frames(),
                r.regionsMasked(),
                r.framesMaskedWhole()));
    VideoVerifier.Report v = r.verify();
    if (v != null) {
      s.append(
          String.format(
              Locale.ROOT,
              " data-verify-checked=\"%d\" data-verify-with-finding=\"%d\""
                  + " data-verify-findings=\"%d\" data-verify-longest=\"%d\"",
              v.framesChecked(),
              v.framesWithFinding(),
              v.findings(),
              v.longestRun()));
    }
    s.append(">\n<h2>").append(HtmlPage.esc(Inputs.stem(r.video()))).append("</h2>\n");
    if (r.written()) {
      s.append("<p><span class=\"tag ok\">written</span> ")
          .append(HtmlPage.esc(r.video()))
          .append(" &rarr; ")
          .append(HtmlPage.esc(r.output()))
          .append("</p>\n");
    } else {
      s.append("<p><span class=\"tag bad\">failed</span> <span class=\"reason\">")
          .append(HtmlPage.esc(r.failure()))
          .append("</span></p>\n");
    }
    s.append("<table>\n");
    HtmlPage.row(s, "frames", r.frames());
    HtmlPage.row(s, "regions masked", r.regionsMasked());
    HtmlPage.row(s, "frames masked whole (detector failed)", r.framesMaskedWhole());
    if (v != null) {
      HtmlPage.row(s, "verify: frames checked", v.framesChecked());
      HtmlPage.row(s, "verify: frames with a finding", v.framesWithFinding());
      HtmlPage.row(s, "verify: findings", v.findings());
      HtmlPage.row(s, "verify: longest run of frames with a finding", v.longestRun());
    }
    s.append("</table>\n");
    for (String note : r.notes()) {
      s.append("<p class=\"note\">").append(HtmlPage.esc(note)).append("</p>\n");
    }
    String audit = r.written() ? auditOf.apply(r) : null;
    if (audit != null && LocalFiles.matchExisting(audit).isPresent()) {
      Timeline t;
      try (InputStream in =
          Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(audit, false)))) {
        t = Timeline.read(in);
      }
      String chart = FILES + id + "-timeline.png";
      files.add(new PageFile(chart, chart(t)));
      s.append("<img class=\"chart\" src=\"")
          .append(chart)
          .append("\" alt=\"regions masked per second of video\" width=\"")
          .append(CHART_WIDTH)
          .append("\" height=\"")
          .append(CHART_HEIGHT)
          .append("\">\n");
      List<Integer> busiest = t.busiestSeconds(THUMBNAILS);
      if (!busiest.isEmpty()) {
        s.append("<div class=\"thumbs\">\n");
        List<double[]> times = busiest.stream().map(sec -> t.busiestFrame().get(sec)).toList();
        List<byte[]> jpegs = thumbnails(readable.apply(r), times);
        for (int i = 0; i < busiest.size(); i++) {
          int sec = busiest.get(i);
          String name = FILES + id + "-" + sec + "s.jpg";
          files.add(new PageFile(name, jpegs.get(i)));
          long[] c = t.counts().get(sec);
          s.append("<figure><img src=\"")
              .append(name)
              .append("\" alt=\"masked output at ")
              .append(sec)
              .append(" s\"><figcaption>")
              .append(
                  String.format(
                      Locale.ROOT,
                      "%d:%02d &middot; %d face(s), %d plate(s) masked in this second",
                      sec / 60,
                      sec % 60,
                      c[0],
                      c[1]))
              .append("</figcaption></figure>\n");
        }
        s.append("</div>\n");
      } else {
        s.append("<p class=\"note\">nothing masked in this video</p>\n");
      }
    }
    s.append("</section>\n");
    return s.toString();
  }

  /** A stacked bar per second of video: faces, plates, frames masked whole. */
  static byte[] chart(Timeline t) throws IOException {
    DefaultTableXYDataset data = new DefaultTableXYDataset();
    int last = t.counts().isEmpty() ? 0 : t.counts().lastKey();
    for (int i = 0; i < LABELS.size(); i++) {
      XYSeries series = new XYSeries(SERIES.get(i), true, false);
      for (int sec = 0; sec <= last; sec++) {
        long[] c = t.counts().get(sec);
        series.add(sec, c == null ? 0 : c[i]);
      }
      data.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createXYBarChart(
            null,
            "second of video",
            false,
            "regions masked",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    StackedXYBarRenderer bars = new StackedXYBarRenderer(0.1);
    bars.setBarPainter(new StandardXYBarPainter());
    bars.setShadowVisible(false);
    for (int i = 0; i < COLORS.length; i++) {
      bars.setSeriesPaint(i, COLORS[i]);
    }
    plot.setRenderer(bars);
    // whole seconds and whole regions: no "0.1 s" ticks on a short clip
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return HtmlPage.png(chart, CHART_WIDTH, CHART_HEIGHT);
  }

  /**
   * JPEGs of the written (masked) MP4 at each time (time[0], seconds), {@link #THUMB_WIDTH} wide:
   * never a frame of the input.
   */
  static List<byte[]> thumbnails(String mp4, List<double[]> times) throws Exception {
    List<byte[]> out = new ArrayList<>();
    Ff.init();
    try (LocalFiles.Localized local = LocalFiles.localized(mp4);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(local.path().toFile());
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      g.start();
      for (double[] time : times) {
        g.setTimestamp(Math.round(time[0] * 1e6), true);
        Frame f = g.grabImage();
        if (f == null) {
          throw new IOException(mp4 + ": no frame at " + time[0] + " s");
        }
        out.add(jpeg(conv.convert(f)));
      }
      g.stop();
    }
    return out;
  }

  private static byte[] jpeg(Mat bgr) throws IOException {
    int height = Math.max(1, Math.round((float) bgr.rows() * THUMB_WIDTH / bgr.cols()));
    try (Mat small = new Mat();
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 80)) {
      resize(bgr, small, new Size(THUMB_WIDTH, height), 0, 0, INTER_AREA);
      if (!imencode(".jpg", small, buf, params)) {
        throw new IOException("JPEG encoding of a thumbnail failed");
      }
      byte[] bytes = new byte[(int) buf.limit()];
      buf.get(bytes);
      return bytes;
    }
  }
}
