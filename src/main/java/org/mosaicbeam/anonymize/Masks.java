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

/** Grows detections into mask regions and paints them: mosaic, blur or solid fill. */
public final class Masks {
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

  /** Paints the regions (already grown and clamped) into {@code bgr} in place. */
  public static void apply(Mat bgr, List<Detection> regions, Spec spec) {
    for (Detection d : regions) {
      Rect r = new Rect(d.x(), d.y(), d.width(), d.height());
      try (Mat roi = new Mat(bgr, r)) {
        switch (spec.style()) {
          case "fill":
            roi.put(new Scalar(0, 0, 0, 0));
            break;
          case "blur": {
            int k = (Math.max(d.width(), d.height()) / 2) | 1;
            GaussianBlur(roi, roi, new Size(k, k), 0);
            break;
          }
          default: {
            int block = Math.max(2, (int) Math.round(Math.max(d.width(), d.height())
                * spec.mosaicRatio()));
            int sw = Math.max(1, d.width() / block);
            int sh = Math.max(1, d.height() / block);
            try (Mat small = new Mat()) {
              resize(roi, small, new Size(sw, sh), 0, 0, INTER_AREA);
              resize(small, roi, new Size(d.width(), d.height()), 0, 0, INTER_NEAREST);
            }
          }
        }
      }
      r.close();
    }
  }

  /** Draws labelled boxes (for {@code detect --draw} and debug frames). */
  public static void draw(Mat bgr, List<Detection> found) {
    for (Detection d : found) {
      Scalar color = Detection.FACE.equals(d.label()) ? new Scalar(0, 255, 0, 0)
          : new Scalar(0, 165, 255, 0);
      rectangle(bgr, new Rect(d.x(), d.y(), d.width(), d.height()), color, 2, 8, 0);
      putText(bgr, String.format(Locale.ROOT, "%s %.2f", d.label(), d.score()),
          new Point(d.x(), Math.max(12, d.y() - 4)), FONT_HERSHEY_SIMPLEX, 0.5, color, 1, 8,
          false);
    }
  }
}
