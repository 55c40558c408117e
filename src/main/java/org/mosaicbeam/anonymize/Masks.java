package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.model.Boxes;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.video.I420;

/** Grows detections into mask regions and paints them: mosaic, blur or solid fill. */
public final class Masks {
  // Black in limited-range YUV (what BGR 0,0,0 converts to): Y 16, U and V 128.
  private static final double BLACK_Y = 16;
  private static final double NEUTRAL_CHROMA = 128;

  private Masks() {}

  /**
   * @param scale box growth around its centre (1.3 = 30% larger in each dimension)
   * @param mosaicRatio mosaic block size as a fraction of the region's longer side
   */
  public record Spec(String style, double scale, double mosaicRatio) implements Serializable {
    public Spec {
      style = style.toLowerCase(Locale.ROOT);
      if (!List.of("mosaic", "blur", "fill").contains(style)) {
        throw new IllegalArgumentException("--mask must be mosaic, blur or fill, not " + style);
      }
      if (scale < 1) {
        throw new IllegalArgumentException("--maskScale must be >= 1, not " + scale);
      }
      if (mosaicRatio <= 0 || mosaicRatio > 1) {
        throw new IllegalArgumentException("--mosaicRatio must be in (0, 1], not " + mosaicRatio);
      }
    }
  }

  /** The regions to paint: each detection grown by {@code scale}, clamped to the frame. */
  public static List<Detection> regions(List<Detection> found, double scale, int w, int h) {
    List<Detection> out = new ArrayList<>();
    for (Detection d : found) {
      double cx = d.x() + d.width() / 2.0;
      double cy = d.y() + d.height() / 2.0;
      double hw = d.width() * scale / 2;
      double hh = d.height() * scale / 2;
      Detection r = Boxes.of(d.label(), d.score(), cx - hw, cy - hh, cx + hw, cy + hh, w, h);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Paints the regions (already grown and clamped) in place into a YUV 4:2:0 picture ({@link
   * I420}). Each region is widened to even coordinates so that its chroma samples, which cover 2×2
   * pixels, are painted whole; every plane gets the same number of mosaic cells.
   */
  public static void apply(Mat i420, int width, int height, List<Detection> regions, Spec spec) {
    for (Detection d : regions) {
      int x0 = d.x() & ~1;
      int y0 = d.y() & ~1;
      int x1 = Math.min(width, (d.x() + d.width() + 1) & ~1);
      int y1 = Math.min(height, (d.y() + d.height() + 1) & ~1);
      if (x1 <= x0 || y1 <= y0) {
        continue;
      }
      int block = Math.max(2, (int) Math.round(Math.max(x1 - x0, y1 - y0) * spec.mosaicRatio()));
      int cellsX = Math.max(1, (x1 - x0) / block);
      int cellsY = Math.max(1, (y1 - y0) / block);
      for (int p = 0; p < 3; p++) {
        int s = p == 0 ? 1 : 2; // chroma planes are half size
        try (Mat plane = I420.plane(i420, p, width, height);
            Rect r = new Rect(x0 / s, y0 / s, (x1 - x0) / s, (y1 - y0) / s);
            Mat roi = new Mat(plane, r)) {
          paint(roi, spec.style(), cellsX, cellsY, p == 0 ? BLACK_Y : NEUTRAL_CHROMA);
        }
      }
    }
  }

  private static void paint(Mat roi, String style, int cellsX, int cellsY, double fill) {
    switch (style) {
      case "fill":
        roi.put(new Scalar(fill));
        break;
      case "blur":
        {
          int k = (Math.max(roi.cols(), roi.rows()) / 2) | 1;
          GaussianBlur(roi, roi, new Size(k, k), 0);
          break;
        }
      default:
        try (Mat small = new Mat()) {
          resize(roi, small, new Size(cellsX, cellsY), 0, 0, INTER_AREA);
          resize(small, roi, new Size(roi.cols(), roi.rows()), 0, 0, INTER_NEAREST);
        }
    }
  }

  /** Draws labelled boxes (for {@code detect --draw} and debug frames). */
  public static void draw(Mat bgr, List<Detection> found) {
    for (Detection d : found) {
      Scalar color =
          Detection.FACE.equals(d.label()) ? new Scalar(0, 255, 0, 0) : new Scalar(0, 165, 255, 0);
      rectangle(bgr, new Rect(d.x(), d.y(), d.width(), d.height()), color, 2, 8, 0);
      putText(
          bgr,
          String.format(Locale.ROOT, "%s %.2f", d.label(), d.score()),
          new Point(d.x(), Math.max(12, d.y() - 4)),
          FONT_HERSHEY_SIMPLEX,
          0.5,
          color,
          1,
          8,
          false);
    }
  }
}
