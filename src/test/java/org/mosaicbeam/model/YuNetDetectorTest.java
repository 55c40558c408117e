package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** The shipped YuNet on real photographs (Debian's opencv-doc, installed by scripts/setup). */
class YuNetDetectorTest {

  static YuNetDetector yunet(double scale, int maxSide) throws Exception {
    return YuNetDetector.shipped(LocalDetector.YUNET_MIN_SCORE, scale, maxSide);
  }

  static Detection face(int x, int y, int w, int h) {
    return new Detection(Detection.FACE, 1, x, y, w, h);
  }

  /** Each expected face has a box on it (IoU > 0.5) and every box lies on an expected face. */
  static void assertFacesAt(List<Detection> found, Detection... expected) {
    for (Detection e : expected) {
      assertTrue(found.stream().anyMatch(d -> Boxes.iou(d, e) > 0.5), e + " in " + found);
    }
    for (Detection d : found) {
      assertTrue(List.of(expected).stream().anyMatch(e -> Boxes.iou(d, e) > 0.5), d + " stray");
    }
  }

  @Test
  void findsTheFacesOfPhotosWhereTheyAre() throws Exception {
    try (YuNetDetector d = yunet(1.0, 4096)) {
      // the football player; his face spans about (221..259, 96..134) (DetectorsTest)
      List<Detection> messi = d.detect(DetectorsTest.photo("examples/data/messi5.jpg"));
      assertTrue(
          messi.stream().anyMatch(f -> Boxes.iou(f, face(221, 96, 38, 38)) > 0.5),
          messi.toString());
      // the facemark tutorial's three copies of one man, faces ~325 px (BlazeFaceDetectorTest)
      assertFacesAt(
          d.detect(DetectorsTest.photo("opencv4/html/example.jpg")),
          face(26, 214, 330, 331),
          face(418, 210, 320, 320),
          face(799, 233, 324, 324));
      // a 2×2 grid of four people
      assertEquals(4, d.detect(DetectorsTest.photo("opencv4/html/facereg.jpg")).size());
      // a building: no face
      assertEquals(List.of(), d.detect(DetectorsTest.photo("examples/data/building.jpg")));
    }
  }

  @Test
  void theScaleSetsTheSmallestFaceFoundAndTheSideCapsTheCost() throws Exception {
    // The football photo pasted small into a 1920x1080 frame: the player's face is ~15 px wide,
    // ~11 px at scale 0.75, ~6 px once the side cap halves that.
    Mat frame = new Mat(1080, 1920, CV_8UC3, new Scalar(60, 60, 60, 0));
    Mat small = new Mat();
    resize(
        DetectorsTest.photo("examples/data/messi5.jpg"),
        small,
        new Size(219, 137),
        0,
        0,
        INTER_AREA);
    small.copyTo(new Mat(frame, new Rect(1400, 700, 219, 137)));
    Detection player = face(1400 + 88, 700 + 38, 15, 15);
    try (YuNetDetector full = yunet(1.0, 4096);
        YuNetDetector capped = yunet(0.75, 720)) {
      List<Detection> faces = full.detect(frame);
      assertTrue(faces.stream().anyMatch(f -> Boxes.iou(f, player) > 0.3), faces.toString());
      assertTrue(capped.detect(frame).stream().noneMatch(f -> Boxes.iou(f, player) > 0.3));
    }
  }

  @Test
  void theShippedModelIsTheCheckedOne() throws Exception {
    String expected =
        Files.readAllLines(Path.of("models/checksums.sha256")).stream()
            .filter(l -> l.endsWith("  yunet_n_dynamic.onnx"))
            .findFirst()
            .orElseThrow()
            .split(" ")[0];
    try (InputStream in =
        YuNetDetector.class.getClassLoader().getResourceAsStream(YuNetDetector.SHIPPED)) {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
      assertEquals(expected, HexFormat.of().formatHex(sha));
    }
  }

  @Test
  void aFileThatIsNotYuNetFailsWhenLoaded() {
    assertThrows(Exception.class, () -> new YuNetDetector(new byte[] {1, 2, 3}, 0.5f, 1.0, 1920));
  }
}
