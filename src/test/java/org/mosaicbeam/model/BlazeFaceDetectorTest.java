package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** BlazeFace's searches on real photographs (Debian's opencv-doc, installed by scripts/setup). */
class BlazeFaceDetectorTest {

  static BlazeFaceDetector blazeFace(FaceSearch search) throws Exception {
    return new BlazeFaceDetector(BlazeFaceGraphTest.original(), 0.5f, search);
  }

  static boolean found(List<Detection> faces, Detection truth) {
    return faces.stream().anyMatch(f -> Boxes.iou(f, truth) > 0.3);
  }

  @Test
  void atFullResolutionTheAnySizeModelFindsASmallFaceThe256InputMisses() throws Exception {
    // The football photo at half size in a 1280x720 frame: the face is ~19 px wide, ~4 px once
    // the frame is squeezed into 256x256.
    Mat frame = new Mat(720, 1280, CV_8UC3, new Scalar(60, 60, 60, 0));
    Mat small = new Mat();
    resize(
        DetectorsTest.photo("examples/data/messi5.jpg"),
        small,
        new Size(274, 171),
        0,
        0,
        INTER_AREA);
    small.copyTo(new Mat(frame, new Rect(700, 300, 274, 171)));
    Detection face = new Detection("face", 1, 700 + 110, 300 + 48, 19, 19);
    try (BlazeFaceDetector coarse = blazeFace(FaceSearch.COARSE);
        BlazeFaceDetector full = blazeFace(FaceSearch.FULL)) {
      assertTrue(!found(coarse.detect(frame), face), "256 input");
      List<Detection> faces = full.detect(frame);
      assertTrue(found(faces, face), faces.toString());
    }
  }

  @Test
  void aFaceFarLargerThanTheFinePassSeesWellIsOneBox() throws Exception {
    // The facemark tutorial's three copies of one man at twice their size: faces ~650 px, ~430 px
    // in the 2/3-scale pass, which answers with boxes on eyes and mouths; the 256 pass finds the
    // faces, and the boxes inside them are dropped.
    Mat photo = new Mat();
    resize(
        DetectorsTest.photo("opencv4/html/example.jpg"),
        photo,
        new Size(2324, 1160),
        0,
        0,
        INTER_LINEAR);
    try (BlazeFaceDetector both = blazeFace(FaceSearch.COARSE_SCALE_67)) {
      List<Detection> faces = both.detect(photo);
      assertEquals(3, faces.size(), faces.toString());
      for (int[] f :
          new int[][] {{52, 428, 660, 662}, {836, 420, 640, 640}, {1598, 466, 648, 648}}) {
        Detection truth = new Detection("face", 1, f[0], f[1], f[2], f[3]);
        assertTrue(faces.stream().anyMatch(d -> Boxes.iou(d, truth) > 0.7), faces.toString());
      }
    }
  }
}
