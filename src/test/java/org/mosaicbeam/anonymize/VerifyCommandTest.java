package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;

/**
 * {@code verify} on the demo clip (a real face photo and a rendered plate): it finds both in the
 * clip as it was recorded, and in what anonymize wrote neither the face nor the plate; {@code
 * anonymize --verify} puts the counts verify gives in results.jsonl.
 */
class VerifyCommandTest {
  @TempDir static Path dir;
  static File clip;

  @BeforeAll
  static void makeClip() throws Exception {
    clip = dir.resolve("ride.mp4").toFile();
    SampleVideo.write(clip, 1, new File(SampleVideo.FACE_PHOTO));
  }

  static List<VideoVerifier.Report> verify(String video, ByteArrayOutputStream findings)
      throws Exception {
    return VerifyCommand.run(
        Cli.parse(new String[] {"--input=" + video}, VerifyCommand.Options.class),
        new PrintStream(findings, true, StandardCharsets.UTF_8));
  }

  @Test
  void findsTheFaceAndThePlateOfAnUnmaskedClipAndNothingOnItsAnonymizedOutput() throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    VideoVerifier.Report before = verify(clip.getPath(), raw).get(0);
    assertEquals(30, before.framesChecked());
    assertEquals(30, before.framesWithFinding(), "the face and the plate are on every frame");
    assertEquals(30, before.longestRun());
    String lines = raw.toString(StandardCharsets.UTF_8);
    JsonNode first = new ObjectMapper().readTree(lines.lines().findFirst().orElseThrow());
    assertEquals(clip.getPath(), first.get("video").asText());
    assertEquals(0, first.get("frame").asInt());
    assertEquals(4, first.get("box").size());
    assertTrue(lines.contains("\"label\":\"face\""), lines);
    assertTrue(lines.contains("\"label\":\"plate\""), lines);

    String out = dir.resolve("out/ride.mp4").toString();
    AnonymizePipeline.run(
        Cli.parse(new String[] {"--input=" + clip, "--output=" + out}, AnonymizeOptions.class));
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    VideoVerifier.Report after = verify(out, none).get(0);
    assertEquals(30, after.framesChecked());
    // no face, and no plate where the clip's plate is (its widest plate finding on that frame);
    // the photo's credit line, small lettering, may read as a plate on a frame or two: a stray
    List<JsonNode> plates = findings(lines, "plate");
    String found = none.toString(StandardCharsets.UTF_8);
    assertTrue(findings(found, "face").isEmpty(), found);
    for (JsonNode f : findings(found, "plate")) {
      JsonNode plate =
          plates.stream()
              .filter(p -> p.get("frame").equals(f.get("frame")))
              .max(Comparator.comparingInt(p -> p.get("box").get(2).asInt()))
              .orElseThrow();
      assertTrue(
          f.get("box").get(2).asInt() < plate.get("box").get(2).asInt() / 2
              && !overlap(f.get("box"), plate.get("box")),
          "the plate " + plate + " read on the output: " + f);
    }
    assertTrue(after.findings() <= 2, found);
  }

  private static List<JsonNode> findings(String lines, String label) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines.lines().toList()) {
      JsonNode f = new ObjectMapper().readTree(line);
      if (f.get("label").asText().equals(label)) {
        out.add(f);
      }
    }
    return out;
  }

  private static boolean overlap(JsonNode a, JsonNode b) {
    return a.get(0).asInt() < b.get(0).asInt() + b.get(2).asInt()
        && b.get(0).asInt() < a.get(0).asInt() + a.get(2).asInt()
        && a.get(1).asInt() < b.get(1).asInt() + b.get(3).asInt()
        && b.get(1).asInt() < a.get(1).asInt() + a.get(3).asInt();
  }

  @Test
  void anonymizeVerifyAddsItsCountsToTheRunReport() throws Exception {
    AnonymizePipeline.run(
        Cli.parse(
            new String[] {
              "--input=" + clip,
              "--output=" + dir.resolve("checked/ride.mp4"),
              "--verify",
              "--verifyEvery=2"
            },
            AnonymizeOptions.class));
    JsonNode r =
        new ObjectMapper()
            .readTree(Files.readAllLines(dir.resolve("checked/results.jsonl")).get(0));
    assertEquals(15, r.get("verify").get("framesChecked").asInt(), r.toString());
    ByteArrayOutputStream findings = new ByteArrayOutputStream();
    VideoVerifier.Report same =
        VerifyCommand.run(
                Cli.parse(
                    new String[] {"--input=" + dir.resolve("checked/ride.mp4"), "--every=2"},
                    VerifyCommand.Options.class),
                new PrintStream(findings, true, StandardCharsets.UTF_8))
            .get(0);
    assertEquals(same.findings(), r.get("verify").get("findings").asInt(), r.toString());
    assertEquals(
        same.framesWithFinding(), r.get("verify").get("framesWithFinding").asInt(), r.toString());
  }
}
