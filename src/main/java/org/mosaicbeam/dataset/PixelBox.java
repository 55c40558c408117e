package org.mosaicbeam.dataset;

import java.io.Serializable;

/**
 * A box in whole pixels, as the Ground Truth manifest wants it.
 *
 * <p>Rounding: each edge is rounded to the nearest pixel ({@code Math.round}: halves go up), so
 * {@code left = round(XMin·W)} and {@code right = round(XMax·W)}; both are clamped to [0, W]; the
 * size is {@code right − left} but at least 1 px, and a 1 px box at the far edge is moved inward
 * ({@code left = W − 1}) so it stays inside the image. The same for top/height with H.
 */
public record PixelBox(int classId, int left, int top, int width, int height, double confidence)
    implements Serializable {

  static PixelBox of(int classId, BoxRow row, int imageWidth, int imageHeight) {
    int[] x = span(row.xMin(), row.xMax(), imageWidth);
    int[] y = span(row.yMin(), row.yMax(), imageHeight);
    return new PixelBox(classId, x[0], y[0], x[1], y[1], row.confidence());
  }

  /** {start, size} in pixels of the normalised span [min, max] over {@code size} pixels. */
  static int[] span(double min, double max, int size) {
    int start = clamp((int) Math.round(min * size), 0, size);
    int end = clamp((int) Math.round(max * size), 0, size);
    int length = Math.max(1, end - start);
    start = Math.min(start, size - length);
    return new int[] {start, length};
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
