package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.detection.Detectors;

/**
 * End to end with the default offline detectors: a clip made of real dashcam frames (plates-dev's
 * valid split, each held for 8 frames like a slow scene) is anonymized, and inside every annotated
 * plate of every output frame the fine detail that makes characters readable is gone, while a shop
 * sign keeps it.
 */
class PlateAnonymizeTest {
  static final String VALID = "src/test/resources/dev-data/plates-dev/images/valid/";
  static final int W = 1280;
  static final int HOLD = 8;
  // frame, then its annotated plates as x, y, w, h (labels/valid.jsonl)
  static final String[] FRAMES = {
    "dayride_type1_001_t1055",
    "nightride_type3_001_t45",
    "dayride_type1_001_t147",
    "dayride_type1_002_t657"
  };
  static final int[][][] PLATES = {
    {{113, 400, 80, 20}, {562, 414, 87, 22}},
    {{537, 373, 252, 74}},
    {{621, 333, 47, 15}},
    {{305, 414, 93, 32}}
  };
  static final int[] SIGN = {169, 108, 147, 34}; // "STEFANE..." in the last frame

  @TempDir Path dir;

  @Test
  void noPlateStaysReadableAndTheShopSignDoes() throws Exception {
    Path frames = Files.createDirectories(dir.resolve("frames"));
    int n = 0;
    for (String f : FRAMES) {
      for (int k = 0; k < HOLD; k++) {
        Files.copy(Path.of(VALID + f + ".jpg"), frames.resolve(String.format("%03d.jpg", n++)));
      }
    }
    File clip = dir.resolve("ride.mp4").toFile();
    TestMedia.ffmpeg(
        "-framerate",
        "30",
        "-i",
        frames.resolve("%03d.jpg").toString(),
        "-c:v",
        "libx264",
        "-crf",
        "12",
        "-g",
        "16",
        "-pix_fmt",
        "yuv420p",
        clip.getPath());
    File out = dir.resolve("ride.anonymized.mp4").toFile();
    AnonymizeOptions o =
        Cli.parse(
            new String[] {"--input=" + clip, "--output=" + out, "--segmentFrames=16"},
            AnonymizeOptions.class);
    AnonymizePipeline.run(o, Detectors::create);

    List<int[]> before = TestMedia.decodeGray(clip);
    List<int[]> after = TestMedia.decodeGray(out);
    assertEquals(FRAMES.length * HOLD, after.size());
    for (int i = 0; i < after.size(); i++) {
      for (int[] p : PLATES[i / HOLD]) {
        double kept = detail(after.get(i), p) / detail(before.get(i), p);
        assertTrue(
            kept < 0.3,
            "frame "
                + i
                + ": plate at "
                + p[0]
                + ","
                + p[1]
                + " keeps "
                + Math.round(kept * 100)
                + " % of its detail");
      }
    }
    // the sign, from the first examined frame of its scene on (frame 30): before it, the scene cut
    // at 24 lies between two looks whose boxes may pair across the cut, and the moved box between
    // them masks more of the new scene than its plates (by design: a wrong pairing only masks more)
    for (int i = 30; i < after.size(); i++) {
      double kept = detail(after.get(i), SIGN) / detail(before.get(i), SIGN);
      assertTrue(kept > 0.7, "frame " + i + ": the sign keeps only " + kept + " of its detail");
    }
  }

  /** Mean absolute horizontal gradient inside a box: what the characters' edges make. */
  static double detail(int[] px, int[] box) {
    double sum = 0;
    for (int y = box[1]; y < box[1] + box[3]; y++) {
      for (int x = box[0]; x < box[0] + box[2] - 1; x++) {
        sum += Math.abs(px[y * W + x + 1] - px[y * W + x]);
      }
    }
    return sum / (box[3] * (box[2] - 1.0));
  }
}
