package org.mosaicbeam.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * The Amazon Rekognition Custom Labels limits for one training/test image: JPEG or PNG, 64–4096 px
 * a side, at most 15 MB, at most 50 boxes, aspect ratio at most 20:1. (The dataset-wide limit, at
 * least 2 labels, is checked in the report.)
 */
final class RekognitionLimits {
  static final int MIN_SIDE = 64;
  static final int MAX_SIDE = 4096;
  static final long MAX_BYTES = 15L * 1024 * 1024;
  static final int MAX_BOXES = 50;
  static final double MAX_ASPECT = 20.0;
  static final int MIN_LABELS = 2;

  private RekognitionLimits() {}

  /** The reasons this image breaks a limit; empty when it is fine. */
  static List<String> check(ImageLocation image, int boxes) {
    List<String> reasons = new ArrayList<>();
    if (!"jpeg".equals(image.format()) && !"png".equals(image.format())) {
      reasons.add("format " + image.format() + " (JPEG or PNG only)");
    }
    side(reasons, "width", image.width());
    side(reasons, "height", image.height());
    if (image.sizeBytes() > MAX_BYTES) {
      reasons.add("file is " + image.sizeBytes() + " bytes (max 15 MB)");
    }
    if (boxes > MAX_BOXES) {
      reasons.add(boxes + " boxes (max " + MAX_BOXES + ")");
    }
    int small = Math.min(image.width(), image.height());
    int large = Math.max(image.width(), image.height());
    if (small > 0 && (double) large / small > MAX_ASPECT) {
      reasons.add("aspect ratio " + large + ":" + small + " (max 20:1)");
    }
    return reasons;
  }

  private static void side(List<String> reasons, String name, int px) {
    if (px < MIN_SIDE || px > MAX_SIDE) {
      reasons.add(name + " " + px + " px (must be " + MIN_SIDE + "-" + MAX_SIDE + ")");
    }
  }
}
