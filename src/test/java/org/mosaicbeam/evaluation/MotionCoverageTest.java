package org.mosaicbeam.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.anonymize.AnonymizeOptions;
import org.mosaicbeam.anonymize.AnonymizePipeline;
import org.mosaicbeam.args.Cli;

/**
 * The motion set and the coverage command end to end, on the test fixtures: one-second clips of a
 * car overtaking and a pedestrian crossing, anonymized with the detectors on every frame (all
 * covered) and with a sparse schedule that copies boxes (known to lag behind the overtaking car).
 */
class MotionCoverageTest {
  static final String FIXTURES = "src/test/resources/dev-data/";
  @TempDir static Path dir;
  static List<String> truth;

  @BeforeAll
  static void makeSet() throws Exception {
    truth =
        MotionSet.write(
            Cli.parse(
                new String[] {
                  "--output=" + dir.resolve("set"),
                  "--frames=" + FIXTURES + "plates-dev/images/train",
                  "--plates=" + FIXTURES + "plates-world/labels/train.jsonl",
                  "--seconds=1",
                  "--kinds=overtake,crossing"
                },
                MotionSetOptions.class));
  }

  @Test
  void writesClipsAndTheBoxOfEveryVisibleObjectOnEveryFrame() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(truth.get(0));
    assertEquals("overtake.mp4", first.get("clip").asText());
    assertEquals(0, first.get("frame").asInt());
    assertTrue(Files.size(dir.resolve("set/overtake.mp4")) > 0);
    // the crossing pedestrian and the parked car stay in view: 2 objects x 30 frames
    assertEquals(
        60, truth.stream().filter(l -> l.contains("\"kind\": \"crossing\"")).count(), "crossing");
    assertEquals(truth, Files.readAllLines(dir.resolve("set/truth.jsonl")));
  }

  @Test
  void everyFrameExaminedCoversAllAndASparseCopiedScheduleLags() throws Exception {
    Map<String, Coverage.Score> every = anonymize("every", "--detectEvery=1");
    assertEquals(1.0, every.get("all").share(), "detectEvery=1: " + every);
    Map<String, Coverage.Score> sparse =
        anonymize("sparse", "--detectEvery=12", "--holdFrames=6", "--track=false");
    assertTrue(
        sparse.get("overtake").share() < 0.9, "a copied box lags the overtaking car: " + sparse);
    Map<String, Coverage.Score> tracked =
        anonymize("tracked", "--detectEvery=12", "--holdFrames=6", "--track=true");
    assertTrue(
        tracked.get("overtake").share() > sparse.get("overtake").share(),
        "tracking follows it: " + tracked + " against " + sparse);
  }

  private static Map<String, Coverage.Score> anonymize(String name, String... flags)
      throws Exception {
    String audit = dir.resolve(name + "-audit.jsonl").toString();
    String[] args = new String[flags.length + 3];
    args[0] = "--input=" + dir.resolve("set");
    args[1] = "--output=" + dir.resolve(name) + "/";
    args[2] = "--detections=" + audit;
    System.arraycopy(flags, 0, args, 3, flags.length);
    AnonymizePipeline.run(Cli.parse(args, AnonymizeOptions.class));
    CoverageCommand.Options o =
        Cli.parse(
            new String[] {"--truth=" + dir.resolve("set/truth.jsonl"), "--detections=" + audit},
            CoverageCommand.Options.class);
    return CoverageCommand.run(o);
  }
}
