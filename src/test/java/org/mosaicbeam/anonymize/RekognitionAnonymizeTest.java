package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Box;
import org.mosaicbeam.model.rekognition.RekognitionStats;

/**
 * {@code anonymize --detector=rekognition} end to end against the Rekognition protocol server: a
 * real 30 fps clip is decoded, frames go to DetectFaces / DetectCustomLabels through the SDK while
 * the server throttles 30 % and fails 5 % of the calls, and the encoded output is decoded again.
 * Every output frame must be masked where the service said the face is, or masked whole where the
 * service could not answer: no frame is written unmasked. Also measures the calls per minute of
 * video at the default stride.
 */
class RekognitionAnonymizeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FPS = 30;
  private static final int SECONDS = 4;

  @Test
  void throttledRekognitionNeverLetsAnUnmaskedFrameThrough(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("drive.mp4");
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=" + FPS,
        "-t",
        "" + SECONDS,
        "-pix_fmt",
        "yuv420p",
        input.toString());
    Path output = dir.resolve("drive-anon.mp4");
    Path audit = dir.resolve("audit.jsonl");

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream realErr = System.err;
    AnonymizePipeline.Summary summary;
    AnonymizeOptions options;
    List<RekognitionProtocolServer.Recorded> faces;
    List<RekognitionProtocolServer.Recorded> plates;
    RekognitionStats.Snapshot calls;
    try (RekognitionProtocolServer server = RekognitionProtocolServer.start();
        AutoCloseable creds = RekognitionProtocolServer.dummyCredentialsInSystemProperties()) {
      String model = server.addModel("plates", "v1", "RUNNING");
      server.setFaultPolicy(RekognitionProtocolServer.randomFaults(3, 0.30, 0.05));
      // a face in the middle of every frame, a plate at the bottom left
      server.onDetectFaces(r -> List.of(new Box(0.375, 0.375, 0.25, 0.25, 99)));
      server.onDetectCustomLabels(
          "vehicle_registration_plate", r -> List.of(new Box(0.05, 0.8, 0.2, 0.1, 90)));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--input=" + input,
                  "--output=" + output,
                  "--detector=rekognition",
                  "--projectVersionArn=" + model,
                  "--mask=fill",
                  "--detections=" + audit,
                  "--rekognitionMaxRetries=1",
                  "--rekognitionBaseBackoffMillis=5"));
      args.addAll(server.awsArgs());
      options = Cli.parse(args.toArray(new String[0]), AnonymizeOptions.class);
      System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
      RekognitionStats.Snapshot before = RekognitionStats.snapshot();
      try {
        summary = AnonymizePipeline.run(options);
      } finally {
        System.setErr(realErr);
      }
      calls = RekognitionStats.snapshot().minus(before);
      faces = server.requests("DetectFaces");
      plates = server.requests("DetectCustomLabels");
      assertTrue(server.maxInFlight() <= 4, "default --maxConcurrentCalls=4");
    }
    String log = console.toString(StandardCharsets.UTF_8);
    realErr.print(log);
    assertFalse(log.contains(RekognitionProtocolServer.SECRET_KEY), "secret in the logs");
    assertTrue(log.contains("rekognition: "), "summary line with calls, throttles, cost: " + log);

    // The audit trail: which frames the service examined, which were masked whole.
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(audit)) {
      lines.add(JSON.readTree(l));
    }
    int frames = FPS * SECONDS;
    assertEquals(frames, lines.size());
    long examined = lines.stream().filter(l -> l.path("detected").asBoolean()).count();
    long notExamined = lines.stream().filter(l -> l.has("error")).count();
    long detectionFrames = examined + notExamined;
    long wholeFrames = lines.stream().filter(l -> l.path("wholeFrameMasked").asBoolean()).count();
    assertTrue(notExamined > 0, "the fault script must defeat some calls (maxRetries=1)");
    assertTrue(wholeFrames >= notExamined, "a frame the service did not examine is masked whole");
    assertEquals(wholeFrames, summary.detectorFailedFrames());
    long okFaces = faces.stream().filter(r -> r.status() == 200).count();
    long okPlates = plates.stream().filter(r -> r.status() == 200).count();
    assertTrue(
        okFaces >= examined && okPlates >= examined,
        "a frame counts as examined only when both calls were answered");

    // Decode input and output: every output frame is black over the face (or everywhere).
    List<double[]> in = patchMeans(input);
    List<double[]> out = patchMeans(output);
    assertEquals(frames, out.size(), "same number of frames");
    for (int i = 0; i < frames; i++) {
      JsonNode line = lines.get(i);
      assertEquals(i, line.path("frame").asInt(), "audit in frame order");
      assertTrue(in.get(i)[0] > 40, "input face patch of frame " + i + " is not dark");
      assertTrue(
          out.get(i)[0] < 12,
          String.format(
              Locale.ROOT,
              "frame %d written with the face unmasked (mean %.1f)",
              i,
              out.get(i)[0]));
      if (line.path("wholeFrameMasked").asBoolean()) {
        assertTrue(out.get(i)[1] < 12, "frame " + i + " should be masked whole");
      } else if (in.get(i)[1] > 40) {
        assertTrue(out.get(i)[1] > 20, "frame " + i + " masked whole without a failure");
      }
    }

    int stride = options.getDetectEvery();
    long expected =
        java.util.stream.IntStream.range(0, frames)
            .filter(i -> i % stride == 0 || i == frames - 1)
            .count(); // the last frame covers the tail
    assertEquals(expected, detectionFrames, "frames sent to Rekognition at the default stride");
    long perMinute = (FPS * 60L + stride - 1) / stride; // + 1 for the last frame of each video
    System.out.printf(
        Locale.ROOT,
        "calls per minute of %d fps video at the default --detectEvery=%d: %d DetectFaces + "
            + "%d DetectCustomLabels = %d calls (this %d s clip: %d frames sent, %d + %d calls "
            + "under faults); one call per frame per detector: %d%n",
        FPS,
        stride,
        perMinute,
        perMinute,
        2 * perMinute,
        SECONDS,
        detectionFrames,
        calls.faceCalls(),
        calls.plateCalls(),
        2 * FPS * 60);
    assertTrue(
        2 * perMinute <= 360, "the default schedule's budget: " + 2 * perMinute + " calls/min");
    assertTrue(calls.faceCalls() >= detectionFrames, "a DetectFaces call per detection frame");
    assertEquals(
        faces.size() + plates.size(),
        calls.calls() + calls.retries(),
        "the server saw every call and every retry");
  }

  @Test
  void detectWithRekognitionWritesLabelledBoxesAndADrawnCopy(@TempDir Path dir) throws Exception {
    Path image = dir.resolve("street.png");
    TestMedia.ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v", "1", image.toString());
    try (RekognitionProtocolServer server = RekognitionProtocolServer.start();
        AutoCloseable creds = RekognitionProtocolServer.dummyCredentialsInSystemProperties()) {
      String model = server.addModel("plates", "v1", "RUNNING");
      server.onDetectFaces(r -> List.of(new Box(0.25, 0.25, 0.25, 0.25, 99.5)));
      server.onDetectCustomLabels(
          "vehicle_registration_plate", r -> List.of(new Box(0.5, 0.75, 0.25, 0.125, 40)));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--input=" + image,
                  "--output=" + dir.resolve("out"),
                  "--detector=rekognition",
                  "--draw",
                  "--projectVersionArn=" + model,
                  "--plateMinConfidence=0.5"));
      args.addAll(server.awsArgs());
      List<String> lines =
          DetectCommand.run(Cli.parse(args.toArray(new String[0]), DetectOptions.class));
      JsonNode line = JSON.readTree(lines.get(0));
      assertEquals(1, line.path("boxes").size(), "the plate below --plateMinConfidence is dropped");
      JsonNode face = line.path("boxes").get(0);
      assertEquals("face", face.path("label").asText());
      assertEquals(160, face.path("x").asInt());
      assertEquals(120, face.path("y").asInt());
      assertEquals(160, face.path("width").asInt());
      assertEquals(
          50.0,
          server.requests("DetectCustomLabels").get(0).body().path("MinConfidence").asDouble(),
          1e-3);
      assertTrue(Files.size(dir.resolve("out").resolve("street.detections.jpg")) > 0);
    }
  }

  @Test
  void platesThroughRekognitionNeedTheModelArnUpFront(@TempDir Path dir) {
    UserError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            UserError.class,
            () ->
                AnonymizePipeline.run(
                    Cli.parse(
                        new String[] {
                          "--input=" + dir.resolve("x.mp4"),
                          "--output=" + dir.resolve("y.mp4"),
                          "--detector=local",
                          "--plateDetector=rekognition",
                          "--awsRegion=us-east-1"
                        },
                        AnonymizeOptions.class)));
    assertTrue(e.getMessage().contains("--projectVersionArn"), e.getMessage());
  }

  /** Per frame: mean brightness of the face patch (centre) and of a corner patch. */
  private static List<double[]> patchMeans(Path video) throws Exception {
    List<double[]> out = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      g.start();
      Frame f;
      while ((f = g.grabImage()) != null) {
        Mat m = conv.convert(f);
        int w = m.cols();
        int h = m.rows();
        out.add(
            new double[] {
              mean(m, new Rect(w * 7 / 16, h * 7 / 16, w / 8, h / 8)),
              mean(m, new Rect(w * 13 / 16, h / 16, w / 8, h / 8))
            });
      }
      g.stop();
    }
    return out;
  }

  private static double mean(Mat m, Rect r) {
    try (Mat roi = new Mat(m, r)) {
      org.bytedeco.opencv.opencv_core.Scalar s = opencv_core.mean(roi);
      return (s.get(0) + s.get(1) + s.get(2)) / 3;
    }
  }
}
