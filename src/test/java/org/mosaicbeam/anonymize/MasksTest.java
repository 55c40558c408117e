package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.video.I420;

/** Masking a YUV 4:2:0 picture: every plane inside the region changes, nothing outside it. */
class MasksTest {
  private static final int W = 64;
  private static final int H = 48;
  // odd coordinates on purpose: the painted area widens to even ones (whole chroma samples)
  private static final Detection BOX = new Detection("face", 0.9f, 11, 7, 21, 17);
  private static final int X0 = 10;
  private static final int Y0 = 6;
  private static final int X1 = 32;
  private static final int Y1 = 24;

  @ParameterizedTest
  @ValueSource(strings = {"mosaic", "blur", "fill"})
  void paintsEveryPlaneInsideAndNothingOutside(String style) {
    try (Mat before = noise();
        Mat after = before.clone()) {
      Masks.apply(after, W, H, List.of(BOX), new Masks.Spec(style, 1.0, 0.25));
      for (int p = 0; p < 3; p++) {
        int s = p == 0 ? 1 : 2;
        try (Mat b = I420.plane(before, p, W, H);
            Mat a = I420.plane(after, p, W, H);
            UByteIndexer bi = b.createIndexer();
            UByteIndexer ai = a.createIndexer()) {
          int changedInside = 0;
          int inside = 0;
          for (int y = 0; y < H / s; y++) {
            for (int x = 0; x < W / s; x++) {
              boolean in = x >= X0 / s && x < X1 / s && y >= Y0 / s && y < Y1 / s;
              if (!in) {
                assertEquals(
                    bi.get(y, x),
                    ai.get(y, x),
                    style + " plane " + p + " changed at " + x + "," + y + " outside the region");
                continue;
              }
              inside++;
              changedInside += bi.get(y, x) != ai.get(y, x) ? 1 : 0;
              if (style.equals("fill")) {
                assertEquals(p == 0 ? 16 : 128, ai.get(y, x), "fill value, plane " + p);
              }
            }
          }
          assertTrue(
              changedInside > inside * 0.8,
              style + " plane " + p + ": only " + changedInside + " of " + inside + " changed");
        }
      }
    }
  }

  private static Mat noise() {
    Mat m = new Mat(H * 3 / 2, W, CV_8UC1);
    Random r = new Random(7);
    try (UByteIndexer idx = m.createIndexer()) {
      for (int y = 0; y < m.rows(); y++) {
        for (int x = 0; x < W; x++) {
          idx.put(y, x, r.nextInt(256));
        }
      }
    }
    return m;
  }
}
