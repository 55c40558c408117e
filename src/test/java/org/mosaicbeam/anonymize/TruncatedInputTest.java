package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, class 5: a .mkv (and .ts) of 3.02 s cut short by a copy became a 53-frame video written
 * with exit 0. Such a video must fail with one line naming it, unless --allowTruncated asks to keep
 * what decodes, which the summary and the audit then say.
 */
class TruncatedInputTest {
  @TempDir static Path dir;
  static File folder;

  @BeforeAll
  static void makeInputs() throws Exception {
    folder = dir.resolve("in").toFile();
    folder.mkdirs();
    File full = dir.resolve("full.mkv").toFile();
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        TestMedia.pattern("30", 3.02),
        "-f",
        "lavfi",
        "-i",
        "sine=duration=3.02",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "30",
        "-c:a",
        "aac",
        "-shortest",
        full.getPath());
    File ts = dir.resolve("full.ts").toFile();
    TestMedia.ffmpeg("-i", full.getPath(), "-c", "copy", ts.getPath());
    Files.copy(full.toPath(), folder.toPath().resolve("whole.mkv"));
    cut(full, new File(folder, "cut-mkv.mkv"));
    cut(ts, new File(folder, "cut-ts.ts"));
  }

  /** The first 60 % of the bytes: what an interrupted copy leaves. */
  static void cut(File from, File to) throws Exception {
    byte[] b = Files.readAllBytes(from.toPath());
    Files.write(to.toPath(), Arrays.copyOf(b, b.length * 6 / 10));
  }

  static int decodableFrames(File f) throws Exception {
    return Integer.parseInt(
        TestMedia.run(
                List.of(
                    "ffprobe",
                    "-v",
                    "quiet",
                    "-select_streams",
                    "v:0",
                    "-count_frames",
                    "-show_entries",
                    "stream=nb_read_frames",
                    "-of",
                    "csv=p=0",
                    f.getPath()))
            .trim()
            .split("\\s+")[0]);
  }

  @Test
  void truncatedVideosFailInOneLineAndTheOthersAreWritten() throws Exception {
    File mkv = new File(folder, "cut-mkv.mkv");
    assertEquals(
        3.02,
        TestMedia.probe(mkv).get("format").get("duration").asDouble(),
        0.1,
        "the cut file still declares 3.02 s");
    assertTrue(decodableFrames(mkv) < 70, "but holds much less");
    File out = dir.resolve("out").toFile();
    AnonymizePipeline.Summary s =
        AnonymizePipeline.run(
            AnonymizePipelineTest.options("--input=" + folder, "--output=" + out + "/"),
            AnonymizePipelineTest.PATCH);
    assertEquals(List.of(new File(out, "whole.mp4").getPath()), s.videos());
    assertEquals(2, s.failures().size(), String.valueOf(s.failures()));
    for (String name : List.of("cut-mkv.mkv", "cut-ts.ts")) {
      String line = s.failures().stream().filter(f -> f.contains(name)).findFirst().orElseThrow();
      assertFalse(line.contains("\n"), line);
      assertTrue(line.contains("truncated") && line.contains("--allowTruncated"), line);
    }
    assertEquals(
        List.of("report-files", "report.html", "results.jsonl", "whole.mp4"),
        LeftoversTest.sorted(out.list()));
  }

  @Test
  void allowTruncatedKeepsWhatDecodesAndSaysSo() throws Exception {
    for (String name : List.of("cut-mkv.mkv", "cut-ts.ts")) {
      File in = new File(folder, name);
      File out = dir.resolve("kept/" + name + ".mp4").toFile();
      File audit = dir.resolve("kept/" + name + ".jsonl").toFile();
      AnonymizePipeline.Summary s =
          AnonymizePipeline.run(
              AnonymizePipelineTest.options(
                  "--input=" + in,
                  "--output=" + out,
                  "--allowTruncated",
                  "--segmentFrames=20",
                  "--detections=" + audit),
              AnonymizePipelineTest.PATCH);
      assertEquals(List.of(out.getPath()), s.videos(), String.valueOf(s.failures()));
      int frames = decodableFrames(in);
      assertEquals(frames, decodableFrames(out), name);
      assertEquals(frames, s.frames(), name);
      assertEquals(1, s.notes().size(), String.valueOf(s.notes()));
      assertTrue(
          s.notes().get(0).contains("truncated input kept (--allowTruncated)"), s.notes().get(0));
      List<String> lines = Files.readAllLines(audit.toPath());
      assertEquals(frames, lines.size());
      ObjectMapper json = new ObjectMapper();
      for (String line : lines) {
        assertTrue(json.readTree(line).get("truncatedInput").asBoolean(), line);
      }
      List<int[]> decoded = TestMedia.decodeGray(out);
      for (int i = 0; i < decoded.size(); i++) {
        assertEquals(i, TestMedia.frameIndex(decoded.get(i)), name + " frame order");
      }
    }
  }
}
