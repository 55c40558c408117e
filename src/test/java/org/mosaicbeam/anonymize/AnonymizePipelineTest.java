package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mosaicbeam.anonymize.TestMedia.H;
import static org.mosaicbeam.anonymize.TestMedia.PS;
import static org.mosaicbeam.anonymize.TestMedia.PX;
import static org.mosaicbeam.anonymize.TestMedia.PY;
import static org.mosaicbeam.anonymize.TestMedia.W;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;

/** Real decode → pipeline → real encode, checked with ffprobe and a decode of the output. */
class AnonymizePipelineTest {
  @TempDir static Path dir;
  static File clip; // 90 frames at 30000/1001, 3 GOPs, AAC audio, rotated 90°

  /** A detector that always finds the checkerboard patch: isolates masking from detection. */
  static final DetectorFactory PATCH =
      o -> (Detector) bgr -> List.of(new Detection(Detection.FACE, 0.9f, PX, PY, PS, PS));

  static final DetectorFactory BROKEN =
      o ->
          (Detector)
              bgr -> {
                throw new IllegalStateException("model crashed");
              };

  @BeforeAll
  static void makeClip() throws Exception {
    File plain = dir.resolve("plain.mp4").toFile();
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        TestMedia.pattern("30000/1001", 3.003),
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=3",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-qp",
        "0",
        "-g",
        "30",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        plain.getPath());
    clip = dir.resolve("phone.mp4").toFile();
    TestMedia.ffmpeg(
        "-i", plain.getPath(), "-c", "copy", "-metadata:s:v:0", "rotate=90", clip.getPath());
  }

  static AnonymizeOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--bitsPerPixel=0.5");
    return Cli.parse(all.toArray(new String[0]), AnonymizeOptions.class);
  }

  /** The summary says where the CPU went per frame (what scripts/bench-anonymize quotes). */
  @Test
  void summaryBreaksDownCpuPerFrame() throws Exception {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      AnonymizePipeline.run(
          options(
              "--input=" + clip, "--output=" + dir.resolve("cpu/out.mp4"), "--segmentFrames=30"),
          PATCH);
    } finally {
      System.setErr(original);
    }
    String log = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "CPU per frame of video: decode ([0-9.]+) ms, "
                    + "detect ([0-9.]+) ms(?: \\(\\d+ of \\d+ frames examined, \\d+ ms each[^)]*\\))?, mask and the rest of that thread (-?[0-9.]+) ms, encode ([0-9.]+) ms, "
                    + "rest of the process (-?[0-9.]+) ms")
            .matcher(log);
    assertTrue(m.find(), log);
    assertTrue(Double.parseDouble(m.group(1)) > 0, "decoding costs CPU: " + m.group());
    assertTrue(Double.parseDouble(m.group(4)) > 0, "encoding costs CPU: " + m.group());
  }

  @Test
  void keepsTimingAudioRotationOrderAndMasksOnlyTheBox() throws Exception {
    File out = dir.resolve("out/phone.mp4").toFile();
    File audit = dir.resolve("out/audit.jsonl").toFile();
    AnonymizeOptions opts =
        options(
            "--input=" + clip,
            "--output=" + out,
            "--segmentFrames=30",
            "--maskScale=1.0",
            "--detections=" + audit);
    AnonymizePipeline.Summary s = AnonymizePipeline.run(opts, PATCH);
    assertEquals(List.of(out.getPath()), s.videos());
    assertEquals(90, s.frames());

    JsonNode in = TestMedia.probe(clip);
    JsonNode res = TestMedia.probe(out);
    JsonNode v = TestMedia.stream(res, "video");
    assertEquals("h264", v.get("codec_name").asText());
    assertEquals(W, v.get("width").asInt());
    assertEquals(H, v.get("height").asInt());
    assertEquals("30000/1001", v.get("r_frame_rate").asText());
    assertEquals("30000/1001", v.get("avg_frame_rate").asText());
    assertEquals(90, v.get("nb_frames").asInt());
    assertEquals(
        TestMedia.stream(in, "video").get("duration").asText(), v.get("duration").asText());
    assertEquals(TestMedia.frameTimes(clip), TestMedia.frameTimes(out));
    JsonNode a = TestMedia.stream(res, "audio");
    assertNotNull(a, "audio kept");
    assertEquals("aac", a.get("codec_name").asText());
    assertEquals(
        TestMedia.stream(in, "audio").get("nb_frames").asInt(),
        a.get("nb_frames").asInt(),
        "audio copied packet for packet");
    assertEquals(rotation(TestMedia.stream(in, "video")), rotation(v));
    assertEquals(90, Math.abs(rotation(v)));

    List<int[]> before = TestMedia.decodeGray(clip);
    List<int[]> after = TestMedia.decodeGray(out);
    assertEquals(90, after.size());
    for (int i = 0; i < after.size(); i++) {
      assertEquals(i, TestMedia.frameIndex(after.get(i)), "frame order");
      double inside = TestMedia.detail(after.get(i), PX + 2, PY + 2, PS - 4, PS - 4);
      double original = TestMedia.detail(before.get(i), PX + 2, PY + 2, PS - 4, PS - 4);
      assertTrue(original > 30, "the patch has detail: " + original);
      assertTrue(
          inside < original * 0.2,
          "frame " + i + ": detail inside the box " + inside + " vs " + original);
      double outside = TestMedia.diffOutside(before.get(i), after.get(i), PX, PY, PS, PS, 4);
      assertTrue(outside < 4, "frame " + i + ": outside the box changed by " + outside);
    }

    List<String> lines = Files.readAllLines(audit.toPath());
    assertEquals(90, lines.size());
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode l = json.readTree(lines.get(i));
      assertEquals(i, l.get("frame").asInt());
      assertEquals(PX, l.get("masked").get(0).get("x").asInt());
      int every = opts.getDetectEvery(); // the default stride; segments start every 30 frames
      assertEquals(i % every == 0 || i % 30 == 0 || i == 89, l.get("detected").asBoolean());
    }
    assertNoTemporaryFiles(out.getParentFile());
  }

  @Test
  void detectorFailureMasksWholeFrames() throws Exception {
    File out = dir.resolve("failed-detector.mp4").toFile();
    AnonymizePipeline.Summary s =
        AnonymizePipeline.run(
            options("--input=" + clip, "--output=" + out, "--segmentFrames=30", "--audio=drop"),
            BROKEN);
    assertEquals(90, s.frames());
    assertEquals(90, s.detectorFailedFrames());
    assertNull(TestMedia.stream(TestMedia.probe(out), "audio"), "--audio=drop");
    List<int[]> before = TestMedia.decodeGray(clip);
    List<int[]> after = TestMedia.decodeGray(out);
    assertEquals(90, after.size());
    for (int i = 0; i < after.size(); i++) {
      // The frame-index strip and the patch, both fine detail, are gone everywhere.
      assertTrue(
          TestMedia.detail(after.get(i), 0, 0, W, H)
              < 0.25 * TestMedia.detail(before.get(i), 0, 0, W, H),
          "frame " + i);
      assertTrue(TestMedia.detail(after.get(i), PX, PY, PS, PS) < 5, "frame " + i);
    }
  }

  @Test
  void detectorFailureCanFailTheRun() {
    File out = dir.resolve("must-not-exist.mp4").toFile();
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                AnonymizePipeline.run(
                    options("--input=" + clip, "--output=" + out, "--onDetectorError=fail"),
                    BROKEN));
    assertTrue(String.valueOf(rootMessage(e)).contains("model crashed"), rootMessage(e));
    assertFalse(out.exists());
  }

  @Test
  void badInputsAreReportedByNameAndWriteNothing() throws Exception {
    File in = dir.resolve("mixed").toFile();
    in.mkdirs();
    Files.copy(clip.toPath(), in.toPath().resolve("good.mp4"));
    Files.write(in.toPath().resolve("empty.mp4"), new byte[0]);
    Files.writeString(in.toPath().resolve("notes.mov"), "this is not a video\n");
    byte[] bytes = Files.readAllBytes(clip.toPath());
    // moov at the end (ffmpeg's default): cut in half, the index is gone
    Files.write(in.toPath().resolve("cut.mkv"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    // moov at the front (faststart): the index survives, the frame data is cut off
    File faststart = dir.resolve("faststart.mp4").toFile();
    TestMedia.ffmpeg(
        "-i", clip.getPath(), "-c", "copy", "-movflags", "+faststart", faststart.getPath());
    byte[] fs = Files.readAllBytes(faststart.toPath());
    Files.write(in.toPath().resolve("short.mp4"), java.util.Arrays.copyOf(fs, fs.length * 6 / 10));
    File outDir = dir.resolve("mixed-out").toFile();
    AnonymizePipeline.Summary s =
        AnonymizePipeline.run(
            options("--input=" + in, "--output=" + outDir + "/", "--faceModel=none"), PATCH);
    assertEquals(List.of(new File(outDir, "good.mp4").getPath()), s.videos());
    assertEquals(4, s.failures().size(), String.valueOf(s.failures()));
    for (String name : List.of("empty.mp4", "notes.mov", "cut.mkv", "short.mp4")) {
      assertTrue(s.failures().stream().anyMatch(f -> f.contains(name)), name + " named");
    }
    assertEquals(
        List.of("good.mp4", "report-files", "report.html", "results.jsonl"),
        LeftoversTest.sorted(outDir.list()));

    File single = dir.resolve("single-out.mp4").toFile();
    UserError e =
        assertThrows(
            UserError.class,
            () ->
                AnonymizePipeline.main(
                    new String[] {"--input=" + in + "/notes.mov", "--output=" + single}));
    assertTrue(e.getMessage().contains("notes.mov"), e.getMessage());
    assertFalse(single.exists());
  }

  @Test
  void variableFrameRateAndOtherContainers() throws Exception {
    // VFR in Matroska (1 ms time base): 30 fps for a second, then 10 fps.
    File vfr = dir.resolve("vfr.mkv").toFile();
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        TestMedia.pattern("30", 2),
        "-vf",
        "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "20",
        vfr.getPath());
    // QuickTime with PCM audio (MP4 cannot carry it: re-encoded to AAC).
    File mov = dir.resolve("pcm.mov").toFile();
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        TestMedia.pattern("25", 1.2),
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1.2",
        "-c:v",
        "mjpeg",
        "-c:a",
        "pcm_s16le",
        mov.getPath());
    // AVI with MPEG-4 Part 2.
    File avi = dir.resolve("old.avi").toFile();
    TestMedia.ffmpeg(
        "-f", "lavfi", "-i", TestMedia.pattern("24", 1), "-c:v", "mpeg4", avi.getPath());
    for (File f : List.of(vfr, mov, avi)) {
      File out = dir.resolve("containers/" + f.getName() + ".mp4").toFile();
      AnonymizePipeline.run(
          options("--input=" + f, "--output=" + out, "--segmentFrames=20"), PATCH);
      assertEquals(TestMedia.frameTimes(f), TestMedia.frameTimes(out), f.getName());
      JsonNode res = TestMedia.probe(out);
      assertEquals(
          TestMedia.stream(TestMedia.probe(f), "video").get("r_frame_rate").asText(),
          TestMedia.stream(res, "video").get("r_frame_rate").asText(),
          f.getName());
      if (f == mov) {
        assertEquals("aac", TestMedia.stream(res, "audio").get("codec_name").asText());
      }
      List<int[]> frames = TestMedia.decodeGray(out);
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(i, TestMedia.frameIndex(frames.get(i)), f.getName() + " frame order");
      }
    }
  }

  private static int rotation(JsonNode stream) {
    JsonNode sd = stream.get("side_data_list");
    if (sd != null) {
      for (JsonNode d : sd) {
        if (d.has("rotation")) {
          return d.get("rotation").asInt();
        }
      }
    }
    return 0;
  }

  private static String rootMessage(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  private static void assertNoTemporaryFiles(File outDir) {
    for (String name : outDir.list()) {
      assertFalse(name.startsWith("."), "left behind: " + name);
    }
  }
}
