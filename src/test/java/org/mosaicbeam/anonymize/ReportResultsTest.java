package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report: ReportResults as a step (one JSON line per video, in input order; a write that
 * fails leaves the previous report), and a real run's report for a good and a broken video (a run
 * that fails publishes no report).
 */
class ReportResultsTest {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  static final VideoResult GOOD =
      new VideoResult(
          "/in/a.mp4",
          "/out/a.mp4",
          90,
          12,
          3,
          null,
          List.of("2 frame(s) repeated an earlier timestamp"),
          null);
  static final VideoResult BROKEN =
      VideoResult.failed(
          "/in/b.mp4",
          "/in/b.mp4: cannot read (Invalid data found when processing input)",
          0,
          0,
          0);

  private static void report(String report, VideoResult... results) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    AnonymizeVideos.registerCoders(p);
    p.apply(Create.of(List.of(results))).apply(ReportResults.to(report, null, null));
    p.run().waitUntilFinish();
  }

  @Test
  void oneLinePerVideoInInputOrder() throws Exception {
    Path report = dir.resolve("results.jsonl");
    report(report.toString(), BROKEN, GOOD);
    List<String> lines = Files.readAllLines(report);
    assertEquals(2, lines.size());
    JsonNode a = json.readTree(lines.get(0));
    List<String> fields = new java.util.ArrayList<>();
    a.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "video",
            "output",
            "frames",
            "regionsMasked",
            "framesMaskedWhole",
            "failure",
            "notes",
            "verify"),
        fields,
        "the fields README lists");
    assertEquals("/in/a.mp4", a.get("video").asText());
    assertEquals("/out/a.mp4", a.get("output").asText());
    assertEquals(90, a.get("frames").asLong());
    assertEquals(12, a.get("regionsMasked").asLong());
    assertEquals(3, a.get("framesMaskedWhole").asLong());
    assertTrue(a.get("failure").isNull());
    assertEquals("2 frame(s) repeated an earlier timestamp", a.get("notes").get(0).asText());
    JsonNode b = json.readTree(lines.get(1));
    assertEquals("/in/b.mp4", b.get("video").asText());
    assertTrue(b.get("output").isNull());
    assertEquals(BROKEN.failure(), b.get("failure").asText());
    assertEquals(List.of(GOOD, BROKEN), ReportResults.read(report.toString()), "read back whole");
  }

  @Test
  void aFailingReportWriteLeavesThePreviousReport() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("out"));
    Path report = folder.resolve("results.jsonl");
    report(report.toString(), GOOD);
    byte[] before = Files.readAllBytes(report);
    AnonymizeOutputSetTest.lock(folder, true); // no new file in the folder: the write fails
    try {
      assertThrows(Exception.class, () -> report(report.toString(), BROKEN));
    } finally {
      AnonymizeOutputSetTest.lock(folder, false);
    }
    assertArrayEquals(before, Files.readAllBytes(report));
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(List.of("results.jsonl"), files.map(f -> f.getFileName().toString()).toList());
    }
  }

  @Test
  void aRunReportsEachVideoAndAFailedRunLeavesThePreviousReport() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    File clip = in.resolve("good.mp4").toFile();
    TestMedia.x264Clip(clip, "30", 1, 15);
    Files.writeString(in.resolve("notes.mov"), "this is not a video\n");
    Path out = dir.resolve("out");
    AnonymizePipeline.Summary s =
        AnonymizePipeline.run(
            AnonymizePipelineTest.options(
                "--input=" + in, "--output=" + out + "/", "--segmentFrames=15"),
            AnonymizePipelineTest.PATCH);
    Path report = out.resolve(AnonymizePipeline.REPORT);
    List<String> lines = Files.readAllLines(report);
    assertEquals(2, lines.size(), lines.toString());
    JsonNode good = json.readTree(lines.get(0));
    assertEquals(clip.getPath(), good.get("video").asText());
    assertEquals(out.resolve("good.mp4").toString(), good.get("output").asText());
    assertEquals(30, good.get("frames").asLong());
    assertTrue(good.get("regionsMasked").asLong() >= 30, "the patch, on every frame: " + good);
    assertEquals(0, good.get("framesMaskedWhole").asLong());
    assertTrue(good.get("failure").isNull());
    JsonNode bad = json.readTree(lines.get(1));
    assertEquals(in.resolve("notes.mov").toString(), bad.get("video").asText());
    assertTrue(bad.get("output").isNull());
    assertTrue(bad.get("failure").asText().contains("notes.mov"), bad.toString());
    // the summary is the report's
    assertEquals(List.of(out.resolve("good.mp4").toString()), s.videos());
    assertEquals(List.of(bad.get("failure").asText()), s.failures());
    assertEquals(30, s.frames());
    assertEquals(good.get("regionsMasked").asLong(), s.maskedRegions());

    byte[] before = Files.readAllBytes(report);
    assertThrows(
        Exception.class,
        () ->
            AnonymizePipeline.run(
                AnonymizePipelineTest.options(
                    "--input=" + in, "--output=" + out + "/", "--onDetectorError=fail"),
                AnonymizePipelineTest.BROKEN));
    assertArrayEquals(before, Files.readAllBytes(report), "a failed run publishes no report");
  }
}
