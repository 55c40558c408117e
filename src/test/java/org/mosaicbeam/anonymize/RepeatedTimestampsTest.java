package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, class 6: a VFR file in which 7 frames share one timestamp ended in a 27-line trace
 * ("dts 9000 >= 9000", "Invalid argument (-22)"). Every frame must be kept, in order, the repeated
 * timestamps moved later by the smallest step (one tick of the time base) and the number moved
 * reported in the summary and the audit.
 */
class RepeatedTimestampsTest {
  @TempDir static Path dir;

  /** Frames 11..16 get frame 10's timestamp: 7 frames at one pts, as in the phone file. */
  static File withRepeatedPts(String ext) throws Exception {
    File clean = dir.resolve("clean-" + ext + ".mkv").toFile();
    // VFR: 30 fps for 40 frames, then 15 fps; no B-frames (decode order = display order)
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        TestMedia.pattern("30", 3),
        "-vf",
        "setpts='if(lt(N,40),N/30,40/30+(N-40)/15)/TB'",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-bf",
        "0",
        "-g",
        "20",
        clean.getPath());
    File f = dir.resolve("repeated." + ext).toFile();
    TestMedia.ffmpeg(
        "-i",
        clean.getPath(),
        "-c",
        "copy",
        "-bsf:v",
        "setts=ts='if(between(N,11,16),PREV_OUTPTS,PTS)'",
        f.getPath());
    return f;
  }

  // Matroska: its muxer accepts repeated timestamps; ffmpeg's MPEG-TS and MP4 muxers bump them
  // by one tick on the way in, so such a .ts or .mp4 cannot be made with ffmpeg.
  @Test
  void everyFrameIsKeptInOrderWithTimestampsMovedOneTick() throws Exception {
    String ext = "mkv";
    File in = withRepeatedPts(ext);
    List<String> inTimes = packetTimes(in);
    assertEquals(90, inTimes.size());
    for (int i = 11; i <= 16; i++) {
      assertEquals(inTimes.get(10), inTimes.get(i), "the input really repeats frame 10's pts");
    }
    File out = dir.resolve("out-" + ext + "/repeated.mp4").toFile();
    File audit = dir.resolve("out-" + ext + "/audit.jsonl").toFile();
    // 20-frame segments: the cuts must keep the repeated run inside one segment
    AnonymizePipeline.Summary s =
        AnonymizePipeline.run(
            AnonymizePipelineTest.options(
                "--input=" + in, "--output=" + out, "--segmentFrames=20", "--detections=" + audit),
            AnonymizePipelineTest.PATCH);
    assertEquals(List.of(out.getPath()), s.videos(), String.valueOf(s.failures()));
    assertEquals(90, s.frames());
    assertEquals(1, s.notes().size(), String.valueOf(s.notes()));
    assertTrue(
        s.notes().get(0).contains("6 frame(s) repeated an earlier timestamp"), s.notes().get(0));

    List<String> outTimes = TestMedia.frameTimes(out);
    assertEquals(90, outTimes.size(), "every frame kept");
    JsonNode v = TestMedia.stream(TestMedia.probe(in), "video");
    String[] tb = v.get("time_base").asText().split("/");
    BigDecimal tick = new BigDecimal(tb[0]).divide(new BigDecimal(tb[1]));
    for (int i = 0; i < 90; i++) {
      BigDecimal expected = new BigDecimal(inTimes.get(i));
      if (i >= 11 && i <= 16) {
        expected = new BigDecimal(inTimes.get(10)).add(tick.multiply(BigDecimal.valueOf(i - 10)));
      }
      assertEquals(
          0,
          expected.compareTo(new BigDecimal(outTimes.get(i))),
          "frame " + i + ": " + outTimes.get(i) + ", expected " + expected);
    }
    List<int[]> frames = TestMedia.decodeGray(out);
    for (int i = 0; i < frames.size(); i++) {
      assertEquals(i, TestMedia.frameIndex(frames.get(i)), "frame order");
    }

    ObjectMapper json = new ObjectMapper();
    List<String> moved = new ArrayList<>();
    List<String> lines = Files.readAllLines(audit.toPath());
    assertEquals(90, lines.size());
    for (String line : lines) {
      JsonNode l = json.readTree(line);
      if (l.has("sourcePts")) {
        moved.add(l.get("frame").asText());
        assertTrue(l.get("pts").asLong() > l.get("sourcePts").asLong(), line);
      }
    }
    assertEquals(List.of("11", "12", "13", "14", "15", "16"), moved);
  }

  /**
   * The video packets' presentation times as stored (no B-frames: already in display order). Not
   * the decoded frames' times: for MPEG-TS, ffprobe's decoder already spreads the repeats.
   */
  static List<String> packetTimes(File f) throws Exception {
    return TestMedia.ptsTimes(f, "packet");
  }
}
