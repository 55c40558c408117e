package org.mosaicbeam.anonymize.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.anonymize.TestMedia;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.io.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code anonymize --watch} on the DirectRunner with the real local detectors: videos dropped into
 * a folder while the stream runs come out as OUTPUT/&lt;name&gt;/mosaic/&lt;name&gt;.mp4 with all
 * their frames, each with its results.jsonl and report.html beside it; a corrupt one is reported
 * there and the stream goes on; an input whose output exists is skipped (exactly once across
 * restarts); an s3:// prefix on S3Proxy is watched the same way.
 */
class AnonymizeWatchTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  @TempDir Path temp;

  @Test
  void anonymizesNewVideosAndSurvivesABadOne() throws Exception {
    Path watched = Files.createDirectories(temp.resolve("uploads"));
    Path out = temp.resolve("out");
    Path clip = temp.resolve("clip.mp4");
    TestMedia.x264Clip(clip.toFile(), "30000/1001", 1.0, 10);
    int frames = TestMedia.frameTimes(clip.toFile()).size();
    // Done before a restart: the input is there and so is its output, which must stay as it is.
    Files.copy(clip, watched.resolve("earlier.mp4"));
    Path earlier = out.resolve("earlier/mosaic/earlier.mp4");
    Files.createDirectories(earlier.getParent());
    Files.writeString(earlier, "finished before the restart");

    WatchOptions options =
        options(
            "--watch=" + watched,
            "--output=" + out,
            "--watchIntervalSeconds=1",
            "--watchSettleSeconds=1",
            "--segmentFrames=10");
    options.as(DirectOptions.class).setBlockOnRun(false);
    PipelineResult result = AnonymizeWatch.pipeline(options, Detectors::create).run();
    try {
      Files.write(watched.resolve("broken.mp4"), "this is not a video".getBytes());
      Files.copy(clip, watched.resolve("first.mov"));
      Path first = out.resolve("first/mosaic/first.mp4");
      waitFor(first);
      assertEquals(frames, TestMedia.frameTimes(first.toFile()).size(), "every frame");
      // The stream goes on after the broken input: a later upload is picked up too.
      Files.copy(clip, watched.resolve("second.mp4"));
      Path second = out.resolve("second/mosaic/second.mp4");
      waitFor(second);
      assertEquals(frames, TestMedia.frameTimes(second.toFile()).size());
      assertEquals(PipelineResult.State.RUNNING, result.getState());
      // reported beside where its output would be, naming the input, and it has no output
      Path report = out.resolve("broken/mosaic/results.jsonl");
      waitFor(report);
      JsonNode failed = new ObjectMapper().readTree(Files.readString(report));
      assertEquals(watched.resolve("broken.mp4").toString(), failed.get("video").asText());
      assertTrue(
          failed.get("failure").asText().contains(watched.resolve("broken.mp4").toString()),
          failed.toString());
      assertTrue(failed.get("output").isNull(), failed.toString());
      assertFalse(
          Files.exists(out.resolve("broken/mosaic/broken.mp4")), "no output for a broken input");
      JsonNode written =
          new ObjectMapper().readTree(Files.readString(out.resolve("first/mosaic/results.jsonl")));
      assertEquals(first.toString(), written.get("output").asText());
      assertEquals(frames, written.get("frames").asInt());
      assertTrue(written.get("failure").isNull(), written.toString());
      assertEquals("finished before the restart", Files.readString(earlier));
      // a run page beside each input's results.jsonl, its chart made from the video's own audit
      Path firstPage = out.resolve("first/mosaic/report.html");
      waitFor(firstPage);
      String html = Files.readString(firstPage);
      assertTrue(html.contains("data-status=\"written\" data-frames=\"" + frames + "\""), html);
      try (Stream<Path> files = Files.list(out.resolve("first/mosaic/report-files"))) {
        assertTrue(files.anyMatch(f -> f.toString().endsWith("-timeline.png")), "its chart");
      }
      Path brokenPage = out.resolve("broken/mosaic/report.html");
      waitFor(brokenPage);
      assertTrue(
          Files.readString(brokenPage).contains("data-status=\"failed\""), "failed, and why");
      try (Stream<Path> work = Files.list(out.resolve(".mosaicbeam-work"))) {
        List<String> audits =
            work.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("audit-")).toList();
        assertTrue(
            audits.stream().noneMatch(f -> f.contains("first")), "audit parts go: " + audits);
      }
    } finally {
      result.cancel();
    }
  }

  /** {@code anonymize --watch ARGS} as the command parses them. */
  static WatchOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--bitsPerPixel=0.5");
    return Cli.parse(all.toArray(new String[0]), WatchOptions.class);
  }

  /** The S3-put trigger's analogue: uploads under an s3:// prefix (S3Proxy) are picked up. */
  @Test
  void watchesAnS3Prefix() throws Exception {
    S3.createBucket("uploads");
    Path out = temp.resolve("out");
    Path clip = temp.resolve("clip.mp4");
    TestMedia.x264Clip(clip.toFile(), "25", 0.8, 10);
    int frames = TestMedia.frameTimes(clip.toFile()).size();
    List<String> args = new ArrayList<>(S3.storageArgs());
    args.addAll(
        List.of(
            "--watch=s3://uploads/dashcam/",
            "--output=" + out,
            "--watchIntervalSeconds=1",
            "--watchSettleSeconds=1",
            "--segmentFrames=10"));
    WatchOptions options = options(args.toArray(new String[0]));
    options.as(DirectOptions.class).setBlockOnRun(false);
    PipelineResult result = AnonymizeWatch.pipeline(options, Detectors::create).run();
    try (S3Client s3 = S3.client()) {
      s3.putObject(b -> b.bucket("uploads").key("dashcam/trip.mp4"), RequestBody.fromFile(clip));
      s3.putObject(
          b -> b.bucket("uploads").key("dashcam/notes.txt"), RequestBody.fromString("not a video"));
      Path trip = out.resolve("trip/mosaic/trip.mp4");
      waitFor(trip);
      assertEquals(frames, TestMedia.frameTimes(trip.toFile()).size(), "every frame");
      assertFalse(Files.exists(out.resolve("notes")));
    } finally {
      result.cancel();
    }
  }

  private static void waitFor(Path file) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
      Thread.sleep(250);
    }
    assertTrue(Files.exists(file), file + " within 120 s");
  }
}
