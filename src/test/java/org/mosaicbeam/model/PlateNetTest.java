package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.evaluation.DetectionScore;
import org.mosaicbeam.evaluation.GroundTruth;

/**
 * The shipped plate finder network on the valid-split fixtures (Romanian dashcam frames; US, UK and
 * Indian photos), which it never saw: a candidate on every annotated plate, and few elsewhere.
 */
class PlateNetTest {
  static final String FIXTURES = "src/test/resources/dev-data/";

  @Test
  void marksEveryAnnotatedPlateOfTheValidFixtures() throws Exception {
    List<GroundTruth.Image> images =
        new ArrayList<>(GroundTruth.read(new File(FIXTURES + "plates-dev/labels/valid.jsonl")));
    images.addAll(GroundTruth.read(new File(FIXTURES + "plates-world/labels/valid.jsonl")));
    int candidates = 0;
    try (PlateNet net = PlateNet.shipped(PlateFinder.WORK_SIDE, PlateFinder.NET_THRESHOLDS)) {
      for (GroundTruth.Image image : images) {
        Mat bgr = imread(image.file().getPath());
        List<Detection> found = net.candidates(bgr);
        candidates += found.size();
        for (Detection plate : image.plates()) {
          List<Detection> padded = PlateFinder.finish(found, bgr.cols(), bgr.rows());
          assertTrue(
              padded.stream().anyMatch(d -> DetectionScore.matches(d, plate)),
              image.file().getName() + ": " + plate + " not among " + found);
        }
      }
    }
    // the verifier sees tens of candidates per image, not hundreds (shipped network, three
    // thresholds: 305 here; 102 at 0.3 alone)
    assertTrue(candidates <= 36 * images.size(), candidates + " candidates");
  }

  @Test
  void aFlatFrameHasNoCandidate() throws Exception {
    try (PlateNet net = PlateNet.shipped(PlateFinder.WORK_SIDE, PlateFinder.NET_THRESHOLDS)) {
      assertEquals(
          List.of(), net.candidates(new Mat(720, 1280, CV_8UC3, new Scalar(128, 128, 128, 0))));
    }
  }
}
