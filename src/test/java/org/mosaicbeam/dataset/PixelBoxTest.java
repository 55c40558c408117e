package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PixelBoxTest {
  @Test
  void roundsEachEdgeToNearestPixel() {
    assertArrayEquals(new int[] {10, 20}, PixelBox.span(0.1, 0.3, 100));
    assertArrayEquals(
        new int[] {1, 2}, PixelBox.span(0.005, 0.025, 100)); // 0.5 → 1, 2.5 → 3 (halves up)
    assertArrayEquals(new int[] {0, 100}, PixelBox.span(0.0, 1.0, 100)); // whole image
  }

  @Test
  void degenerateBoxesGetOnePixel() {
    assertArrayEquals(new int[] {50, 1}, PixelBox.span(0.5, 0.5, 100));
    assertArrayEquals(new int[] {0, 1}, PixelBox.span(0.0, 0.0, 100)); // at the near edge
    assertArrayEquals(
        new int[] {99, 1}, PixelBox.span(1.0, 1.0, 100)); // at the far edge: moved inside
    assertArrayEquals(new int[] {99, 1}, PixelBox.span(0.996, 1.0, 100));
  }

  @Test
  void staysInsideTheImage() {
    for (int size : new int[] {1, 2, 3, 64, 333, 4096}) {
      for (double a = 0; a <= 1.0; a += 0.0625) {
        for (double b = a; b <= 1.0; b += 0.0625) {
          int[] s = PixelBox.span(a, b, size);
          assertEquals(
              true, s[0] >= 0 && s[1] >= 1 && s[0] + s[1] <= size, size + " " + a + " " + b);
        }
      }
    }
  }

  @Test
  void usesImageWidthForXAndHeightForY() {
    BoxRow row = new BoxRow("id", "/m/x", 0.5, 0.25, 0.75, 0.1, 0.2, "train");
    assertEquals(new PixelBox(3, 100, 30, 200, 30, 0.5), PixelBox.of(3, row, 400, 300));
  }
}
