package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.io.HeadlessChromium;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;

/**
 * The run page (report.html) of a real run with a written and a failed video, opened in a real
 * headless Chromium (installed by scripts/setup): no console error, every image loaded, the numbers
 * of results.jsonl, a screenshot that is not blank; and a page that cannot be written does not fail
 * the run.
 */
class RunPageTest {
  /** The screenshot README shows: written there when -DupdateDocs=true, else under target/. */
  static final Path SCREENSHOT =
      Boolean.getBoolean("updateDocs")
          ? Path.of("docs/anonymize-report.png")
          : Path.of("target/anonymize-report.png");

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  /** A face on the clip's patch on every frame, a plate below it on every other frame. */
  static final DetectorFactory FACE_AND_PLATE =
      o -> {
        int[] calls = {0};
        return (Detector)
            bgr ->
                calls[0]++ % 2 == 0
                    ? List.of(
                        new Detection(
                            Detection.FACE, 0.9f, TestMedia.PX, TestMedia.PY, TestMedia.PS, 60),
                        new Detection(Detection.PLATE, 0.8f, 20, 180, 90, 30))
                    : List.of(
                        new Detection(
                            Detection.FACE, 0.9f, TestMedia.PX, TestMedia.PY, TestMedia.PS, 60));
      };

  private Path inputs() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    TestMedia.x264Clip(in.resolve("good.mp4").toFile(), "30", 2, 15);
    Files.writeString(in.resolve("notes.mov"), "this is not a video\n");
    return in;
  }

  /** Runs anonymize on {@code in}, returning what it printed on stderr. */
  private static String run(Path in, Path out) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      AnonymizePipeline.run(
          AnonymizePipelineTest.options(
              "--input=" + in, "--output=" + out + "/", "--segmentFrames=30", "--verify"),
          FACE_AND_PLATE);
    } finally {
      System.setErr(original);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    System.err.print(log);
    return log;
  }

  @Test
  void thePageShowsTheRunInABrowser() throws Exception {
    Path in = inputs();
    Path out = dir.resolve("out");
    String log = run(in, out);
    Path page = out.resolve(RunPage.PAGE);
    assertTrue(log.contains("anonymize: report page: open " + page), log);
    assertTrue(Files.isRegularFile(page), "report.html beside results.jsonl");
    long bytes;
    try (Stream<Path> files = Files.walk(out)) {
      bytes =
          files
              .filter(f -> f.toString().endsWith(".html") || f.toString().contains("report-files"))
              .filter(Files::isRegularFile)
              .mapToLong(f -> f.toFile().length())
              .sum();
    }
    System.err.println("run page: page and its files " + bytes + " bytes");
    assertTrue(bytes < 2_000_000, bytes + " bytes");
    String html = Files.readString(page);
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "no CDN");

    String dom = HeadlessChromium.dom(page);

    // every image loaded: the chart and the good video's thumbnails (the page records it on load)
    int[] ok = HeadlessChromium.imagesOk(dom);
    assertNotNull(ok, "the page's load handler ran:\n" + dom);
    assertEquals(ok[1], ok[0], "images loaded / images");
    assertTrue(ok[1] >= 2, "a chart and at least one thumbnail");

    // the numbers on the page are results.jsonl's
    List<String> lines = Files.readAllLines(out.resolve(AnonymizePipeline.REPORT));
    List<Map<String, String>> sections = HeadlessChromium.dataOf("section", dom);
    assertEquals(lines.size(), sections.size(), "one section per video");
    for (int i = 0; i < lines.size(); i++) {
      JsonNode r = json.readTree(lines.get(i));
      Map<String, String> s = sections.get(i);
      assertEquals(r.get("video").asText(), s.get("video"));
      assertEquals(r.get("failure").isNull() ? "written" : "failed", s.get("status"));
      assertEquals(r.get("frames").asText(), s.get("frames"), r.toString());
      assertEquals(r.get("regionsMasked").asText(), s.get("regions"), r.toString());
      assertEquals(r.get("framesMaskedWhole").asText(), s.get("whole"), r.toString());
      JsonNode v = r.get("verify");
      if (v != null && !v.isNull()) {
        assertEquals(v.get("framesChecked").asText(), s.get("verify-checked"));
        assertEquals(v.get("framesWithFinding").asText(), s.get("verify-with-finding"));
        assertEquals(v.get("findings").asText(), s.get("verify-findings"));
        assertEquals(v.get("longestRun").asText(), s.get("verify-longest"));
      }
    }
    JsonNode good = json.readTree(lines.get(0));
    assertEquals(60, good.get("frames").asLong());
    assertTrue(good.get("regionsMasked").asLong() >= 90, "a face on each frame, plates: " + good);
    assertNotNull(sections.get(0).get("verify-checked"), "--verify's counts are on the page");
    JsonNode bad = json.readTree(lines.get(1));
    assertTrue(
        dom.contains(org.mosaicbeam.io.HtmlPage.esc(bad.get("failure").asText())),
        "the failed video's reason is on the page");
    Matcher totals = Pattern.compile("id=\"totals\"[^>]*").matcher(dom);
    assertTrue(totals.find());
    assertTrue(totals.group().contains("data-written=\"1\""), totals.group());
    assertTrue(totals.group().contains("data-failed=\"1\""), totals.group());
    assertTrue(
        totals.group().contains("data-regions=\"" + good.get("regionsMasked").asText() + "\""),
        totals.group());

    // a screenshot that shows something (not one colour)
    Path shot = dir.resolve("shot.png");
    int colours = HeadlessChromium.screenshot(page, shot, 1200, 1600);
    assertTrue(colours > 50, colours + " colours: a blank page");
    Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
    Files.copy(shot, SCREENSHOT, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aPageThatCannotBeWrittenDoesNotFailTheRun() throws Exception {
    Path in = inputs();
    Path out = Files.createDirectories(dir.resolve("out"));
    // report-files is a file, not a folder: the page's images cannot be written
    Files.writeString(out.resolve("report-files"), "in the way\n");
    Files.writeString(out.resolve(RunPage.PAGE), "<p>an earlier run's page</p>\n");
    String log = run(in, out);
    assertTrue(log.contains("anonymize: report page not written ("), log);
    assertFalse(log.contains("report page: open"), log);
    assertEquals(2, Files.readAllLines(out.resolve(AnonymizePipeline.REPORT)).size());
    assertTrue(Files.isRegularFile(out.resolve("good.mp4")), "the video is written");
    assertFalse(
        Files.exists(out.resolve(RunPage.PAGE)), "no earlier run's page left beside this report");
  }

  /**
   * The page of a 10-minute 1080p video stays within 2 MB with its images (a phone opens it): one
   * chart whatever the length, a fixed few thumbnails. The video is a real street frame held for
   * 600 s at 1 fps (quick to encode; the thumbnails hold real detail); its audit is that of 30 fps
   * video, 18,000 frames with regions masked in most seconds.
   */
  @Test
  void aTenMinuteVideosPageStaysUnderTwoMegabytes() throws Exception {
    Path mp4 = dir.resolve("ten-minutes.mp4");
    TestMedia.ffmpeg(
        "-loop",
        "1",
        "-framerate",
        "1",
        "-i",
        PlateAnonymizeTest.VALID + "dayride_type1_001_t1055.jpg",
        "-t",
        "600",
        "-vf",
        "scale=1920:1080",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        mp4.toString());
    Path audit = dir.resolve("audit.jsonl");
    StringBuilder lines = new StringBuilder();
    long regions = 0;
    for (int frame = 0; frame < 18_000; frame++) {
      int second = frame / 30;
      List<String> masked = new java.util.ArrayList<>();
      for (int k = 0; k < second % 5; k++) {
        masked.add(
            "{\"label\": \"face\", \"x\": "
                + 100 * k
                + ", \"y\": 200, \"width\": 60, \"height\": 60}");
      }
      for (int k = 0; k < second % 3; k++) {
        masked.add(
            "{\"label\": \"plate\", \"x\": "
                + 100 * k
                + ", \"y\": 800, \"width\": 90, \"height\": 30}");
      }
      regions += masked.size();
      lines.append(
          String.format(
              java.util.Locale.ROOT,
              "{\"frame\": %d, \"time\": %.4f, \"masked\": [%s]}%n",
              frame,
              frame / 30.0,
              String.join(", ", masked)));
    }
    Files.writeString(audit, lines);
    VideoResult r =
        new VideoResult(
            "in/ten-minutes.mov", mp4.toString(), 18_000, regions, 0, null, List.of(), null);
    List<RunPage.PageFile> files =
        RunPage.make(List.of(r), v -> audit.toString(), v -> mp4.toString());
    long bytes = files.stream().mapToLong(f -> f.bytes().length).sum();
    System.out.printf(
        "RunPageTest: a 10-minute video's page: %d files, %d bytes%n", files.size(), bytes);
    assertEquals(2 + RunPage.THUMBNAILS, files.size(), "page, chart, thumbnails");
    assertTrue(bytes <= 2 * 1024 * 1024, bytes + " bytes");
    String html = new String(files.get(files.size() - 1).bytes(), StandardCharsets.UTF_8);
    assertTrue(html.contains("data-regions=\"" + regions + "\""), "the run's counts");
  }
}
