package org.mosaicbeam.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Several detectors on the same frame (faces and plates, local and remote); any failure fails the
 * frame (fail closed).
 */
final class CombinedDetector implements Detector {
  private final List<Detector> parts;

  CombinedDetector(List<Detector> parts) {
    this.parts = List.copyOf(parts);
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    List<Detection> out = new ArrayList<>();
    for (Detector d : parts) {
      out.addAll(d.detect(bgr));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (Detector d : parts) {
      d.close();
    }
  }
}
