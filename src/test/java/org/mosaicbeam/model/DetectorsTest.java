package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.detection.Detectors;

/**
 * The local detectors on real photographs (Debian's opencv-doc samples, installed by scripts/setup)
 * and on rendered licence plates.
 */
class DetectorsTest {
  static final String SAMPLES = "/usr/share/doc/opencv-doc/";
  static Detector local;

  static DetectorOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(DetectorOptions.class);
  }

  static Mat photo(String path) {
    File f = new File(SAMPLES, path);
    assertTrue(f.isFile(), f + " missing: run scripts/setup (installs opencv-doc)");
    return imread(f.getPath());
  }

  /** A white plate (Russian proportions, 4.5:1) with dark characters on a grey "car". */
  static Mat renderedPlate(Rect plate, String text) {
    Mat img = new Mat(480, 640, CV_8UC3, new Scalar(90, 100, 110, 0));
    int h = plate.height();
    rectangle(img, plate, new Scalar(245, 245, 245, 0), -1, 8, 0);
    rectangle(img, plate, new Scalar(20, 20, 20, 0), Math.max(1, h / 20), 8, 0);
    double fontScale = h / 38.0;
    putText(
        img,
        text,
        new Point(plate.x() + h / 6, plate.y() + h * 3 / 4),
        FONT_HERSHEY_SIMPLEX,
        fontScale,
        new Scalar(10, 10, 10, 0),
        Math.max(1, (int) (fontScale * 2.5)),
        8,
        false);
    return img;
  }

  @BeforeAll
  static void create() throws Exception {
    local = Detectors.create(options("--detector=local"));
  }

  @AfterAll
  static void close() throws Exception {
    local.close();
  }

  static List<Detection> of(List<Detection> all, String label) {
    return all.stream().filter(d -> d.label().equals(label)).toList();
  }

  @Test
  void findsTheFaceInAFootballPhoto() throws Exception {
    // messi5.jpg: one player, face around (221..259, 96..134)
    // (spectators in the blurred crowd may score around 0.5 too)
    List<Detection> faces =
        new java.util.ArrayList<>(of(local.detect(photo("examples/data/messi5.jpg")), "face"));
    faces.sort((a, b) -> Float.compare(b.score(), a.score()));
    assertTrue(!faces.isEmpty() && faces.size() <= 3, String.valueOf(faces));
    Detection expected = new Detection("face", 1, 221, 96, 38, 38);
    assertTrue(Boxes.iou(faces.get(0), expected) > 0.5, faces.get(0).toString());
    assertTrue(faces.get(0).score() > 0.7);
  }

  @Test
  void findsAllFourFacesInAGrid() throws Exception {
    List<Detection> faces = of(local.detect(photo("opencv4/html/facereg.jpg")), "face");
    assertEquals(4, faces.size(), String.valueOf(faces));
  }

  @Test
  void findsNoFaceWhereThereIsNone() throws Exception {
    assertEquals(List.of(), of(local.detect(photo("examples/data/building.jpg")), "face"));
    Mat flat = new Mat(720, 1280, CV_8UC3, new Scalar(128, 128, 128, 0));
    assertEquals(List.of(), local.detect(flat));
  }

  @Test
  void findsSmallFacesInAWideFrame() throws Exception {
    // The football photo pasted small into a 1920x1080 frame: the face is ~25 px wide (~19 px at
    // YuNet's default 3/4 scale).
    Mat frame = new Mat(1080, 1920, CV_8UC3, new Scalar(60, 60, 60, 0));
    Mat small = new Mat();
    org.bytedeco.opencv.global.opencv_imgproc.resize(
        photo("examples/data/messi5.jpg"),
        small,
        new org.bytedeco.opencv.opencv_core.Size(365, 228));
    small.copyTo(new Mat(frame, new Rect(1400, 700, 365, 228)));
    List<Detection> faces = of(local.detect(frame), "face");
    Detection expected = new Detection("face", 1, 1400 + 147, 700 + 64, 26, 26);
    assertTrue(faces.stream().anyMatch(f -> Boxes.iou(f, expected) > 0.3), faces.toString());
    // nothing outside the pasted photo (whose crowd has faces too)
    Detection photoArea = new Detection("any", 1, 1400, 700, 365, 228);
    assertTrue(faces.stream().allMatch(f -> Boxes.iou(f, photoArea) > 0), faces.toString());
  }

  @Test
  void findsMostRenderedPlates() throws Exception {
    // The Haar cascade is the weakest part of the local detector: measured 7 of these 10.
    int found = 0;
    for (int w : new int[] {120, 160, 200, 240, 300}) {
      for (int[] at : new int[][] {{60, 80}, {300, 300}}) {
        Rect r = new Rect(at[0], at[1], w, w * 2 / 9);
        Detection truth = new Detection("plate", 1, r.x(), r.y(), r.width(), r.height());
        List<Detection> plates = of(local.detect(renderedPlate(r, "A123BC 77")), "plate");
        if (plates.stream().anyMatch(p -> Boxes.iou(p, truth) > 0.25)) {
          found++;
        }
      }
    }
    assertTrue(found >= 6, "plates found: " + found + " of 10");
    Mat blank = new Mat(480, 640, CV_8UC3, new Scalar(90, 100, 110, 0));
    assertEquals(List.of(), of(local.detect(blank), "plate"));
  }

  @Test
  void boxesAreClampedToTheImage() {
    assertEquals(
        new Detection("face", 1, 0, 5, 10, 15),
        Boxes.clamp(new Detection("face", 1, -5, 5, 15, 20), 100, 20));
    assertEquals(null, Boxes.clamp(new Detection("face", 1, 200, 5, 15, 20), 100, 20));
  }

  @Test
  void missingModelsAndUnknownBackendsAreClearErrors() {
    UserError e =
        assertThrows(
            UserError.class,
            () -> Detectors.create(options("--faceModel=blazeface", "--modelDir=/nonexistent")));
    assertTrue(e.getMessage().contains("fetch-models"), e.getMessage());
    e = assertThrows(UserError.class, () -> Detectors.create(options("--detector=magic")));
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
    e =
        assertThrows(
            UserError.class, () -> Detectors.create(options("--faceModel=/nonexistent.onnx")));
    assertTrue(e.getMessage().contains("/nonexistent.onnx"), e.getMessage());
  }
}
