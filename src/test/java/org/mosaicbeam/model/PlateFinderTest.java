package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.evaluation.DetectionScore;

/**
 * The default plate finder (the plate finder network, stroke candidates, the shipped verifier) on
 * real dashcam frames of plates-dev's valid split and photos of plates-world's, which neither
 * network saw (test fixtures).
 */
class PlateFinderTest {
  static final String VALID = "src/test/resources/dev-data/plates-dev/images/valid/";
  static PlateFinder finder;
  static PlateVerifier verifier;

  @BeforeAll
  static void create() throws Exception {
    finder =
        PlateFinder.create(
            PlateFinder.Source.NET,
            PlateFinder.DEFAULT_MIN_SCORE,
            PlateFinder.WORK_SIDE,
            null,
            null);
    verifier = PlateVerifier.shipped();
  }

  @AfterAll
  static void close() throws Exception {
    finder.close();
    verifier.close();
  }

  static Mat frame(String name) {
    File f = new File(VALID + name + ".jpg");
    assertTrue(f.isFile(), f.toString());
    return imread(f.getPath());
  }

  static Detection plate(int x, int y, int w, int h) {
    return new Detection(Detection.PLATE, 1, x, y, w, h);
  }

  static boolean found(List<Detection> boxes, Detection truth) {
    return boxes.stream().anyMatch(b -> DetectionScore.matches(b, truth));
  }

  @Test
  void findsThePlatesOfDayNightAndSmallPlateFrames() throws Exception {
    // annotated plates (labels/valid.jsonl): two day plates, two night plates (one under a lit
    // shop sign), a 47-px-wide plate
    List<Detection> day = finder.detect(frame("dayride_type1_001_t1055"));
    assertTrue(found(day, plate(113, 400, 80, 20)), day.toString());
    assertTrue(found(day, plate(562, 414, 87, 22)), day.toString());
    List<Detection> night = finder.detect(frame("nightride_type3_001_t45"));
    assertTrue(found(night, plate(537, 373, 252, 74)), night.toString());
    List<Detection> lit = finder.detect(frame("nightride_type3_001_t155"));
    assertTrue(found(lit, plate(488, 430, 178, 51)), lit.toString());
    List<Detection> small = finder.detect(frame("dayride_type1_001_t147"));
    assertTrue(found(small, plate(621, 333, 47, 15)), small.toString());
  }

  @Test
  void theTextDetectorAsCandidateSourceStillFindsPlates() throws Exception {
    try (PlateFinder text =
        PlateFinder.create(
            PlateFinder.Source.TEXT,
            PlateFinder.DEFAULT_MIN_SCORE,
            PlateFinder.WORK_SIDE,
            null,
            null)) {
      List<Detection> day = text.detect(frame("dayride_type1_001_t1055"));
      assertTrue(found(day, plate(113, 400, 80, 20)), day.toString());
      assertTrue(found(day, plate(562, 414, 87, 22)), day.toString());
    }
  }

  @Test
  void masksThePlateButLeavesTheShopSignReadable() throws Exception {
    // "STEFANE..." over a shop: text a candidate source may find, which the verifier rejects
    List<Detection> stefan = finder.detect(frame("dayride_type1_002_t657"));
    assertTrue(found(stefan, plate(305, 414, 93, 32)), stefan.toString());
    assertTrue(
        stefan.stream().noneMatch(b -> Boxes.iou(b, plate(169, 108, 147, 34)) > 0),
        stefan.toString());
  }

  @Test
  void linesOfPrintedTextAreNotPlates() throws Exception {
    Mat page = imread("/usr/share/doc/opencv-doc/examples/data/imageTextN.png");
    assertFalse(page.empty(), "opencv-doc missing: run scripts/setup");
    assertEquals(List.of(), finder.detect(page));
  }

  @Test
  void theVerifierAcceptsPlatesOfSeveralCountriesAndRejectsTheShopSign() throws Exception {
    Path dir = Path.of("src/test/resources/org/mosaicbeam/model/plate-crops");
    List<String> rows = Files.readAllLines(dir.resolve("crops.csv"));
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      Mat crop = imread(dir.resolve(f[0]).toString());
      Detection box =
          plate(
              Integer.parseInt(f[2]),
              Integer.parseInt(f[3]),
              Integer.parseInt(f[4]),
              Integer.parseInt(f[5]));
      float score = verifier.score(crop, List.of(box))[0];
      if (f[1].equals("plate")) {
        assertTrue(score >= PlateFinder.DEFAULT_MIN_SCORE, f[0] + " scored " + score);
      } else {
        assertTrue(score < PlateFinder.DEFAULT_MIN_SCORE, f[0] + " scored " + score);
      }
    }
  }
}
