package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The letterboxed RGB tensor, value by value, in both layouts, refilled from different images. */
class ModelInputTest {

  /** A 4×2 BGR image whose every pixel and channel has its own value. */
  private static Mat image(int base) {
    Mat m = new Mat(2, 4, CV_8UC3);
    try (UByteIndexer idx = m.createIndexer()) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 4; x++) {
          for (int c = 0; c < 3; c++) {
            idx.put(y, x, c, base + 40 * y + 10 * x + c); // c: 0 B, 1 G, 2 R
          }
        }
      }
    }
    return m;
  }

  /** Expected value at tensor row/col for RGB channel {@code rgb}: rows 0 and 3 are padding. */
  private static float expected(int base, int row, int col, int rgb) {
    if (row == 0 || row == 3) {
      return 114 * 0.5f + 1;
    }
    return (base + 40 * (row - 1) + 10 * col + (2 - rgb)) * 0.5f + 1;
  }

  @Test
  void fillsInterleavedAndPlanarTensorsInPlace() {
    for (boolean nchw : new boolean[] {false, true}) {
      try (ModelInput in = new ModelInput(4, 4, nchw)) {
        for (int base : new int[] {0, 100}) { // a second fill must overwrite the first
          try (Mat img = image(base)) {
            ModelInput.Letterbox lb = in.fill(img, 0.5, 1, 114);
            assertEquals(1.0, lb.scale());
            assertEquals(0, lb.padX());
            assertEquals(1, lb.padY());
          }
          FloatBuffer b = in.buffer();
          assertEquals(48, b.remaining());
          assertArrayEquals(nchw ? new long[] {1, 3, 4, 4} : new long[] {1, 4, 4, 3}, in.shape());
          for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
              for (int c = 0; c < 3; c++) {
                int i = nchw ? c * 16 + row * 4 + col : (row * 4 + col) * 3 + c;
                assertEquals(
                    expected(base, row, col, c),
                    b.get(i),
                    (nchw ? "NCHW" : "NHWC") + " row " + row + " col " + col + " ch " + c);
              }
            }
          }
        }
      }
    }
  }
}
