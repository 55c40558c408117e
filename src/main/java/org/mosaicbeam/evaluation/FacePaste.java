package org.mosaicbeam.evaluation;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.evaluation.FaceSources.Box;

/**
 * One head pasted into a frame: a head-and-shoulders crop around a face, scaled, blended in with
 * edges that fade out over up to 30 % of the face's size, so that no hard rectangle edge (which a
 * detector could key on) surrounds the face. The face itself is pasted opaque. The sources are
 * sharp, well-lit portraits; faces seen from a car are not, so each head is also given a {@link
 * Look}: some blur, less contrast, and its brightness pulled toward the frame's there.
 */
final class FacePaste {
  /**
   * How a pasted head is degraded.
   *
   * @param blur Gaussian sigma in pixels of the pasted (scaled) head; 0: none
   * @param contrast factor on the head's deviations from its mean, in (0, 1]
   * @param toFrame how far the head's mean moves toward the frame's mean under it, in [0, 1]
   */
  record Look(double blur, double contrast, double toFrame) {}

  // the crop around a face box, in face sizes: hair above, shoulders below
  private static final double SIDE = 0.5;
  private static final double ABOVE = 0.6;
  private static final double BELOW = 1.9;
  private static final double FADE = 0.3;

  private FacePaste() {}

  /** The head-and-shoulders crop around {@code face}, inside {@code usable}. */
  static Box cropAround(Box face, Box usable) {
    int x0 = Math.max(usable.x(), (int) Math.round(face.x() - SIDE * face.w()));
    int y0 = Math.max(usable.y(), (int) Math.round(face.y() - ABOVE * face.h()));
    int x1 = Math.min(usable.x() + usable.w(), (int) Math.round(face.x() + (1 + SIDE) * face.w()));
    int y1 = Math.min(usable.y() + usable.h(), (int) Math.round(face.y() + (1 + BELOW) * face.h()));
    return new Box(x0, y0, x1 - x0, y1 - y0);
  }

  /** The size of {@code crop} scaled by {@code scale}. */
  static Box scaled(Box crop, double scale) {
    return new Box(
        0,
        0,
        Math.max(1, (int) Math.round(crop.w() * scale)),
        Math.max(1, (int) Math.round(crop.h() * scale)));
  }

  /**
   * Pastes {@code crop} of {@code photo}, scaled by {@code scale}, with its top-left corner at
   * ({@code px}, {@code py}) of {@code frame} (8-bit BGR; the scaled crop must fit). Returns where
   * {@code face} now is in the frame.
   */
  static Box paste(
      Mat photo, Box crop, Box face, double scale, Mat frame, int px, int py, Look look) {
    Box size = scaled(crop, scale);
    int cw = size.w();
    int ch = size.h();
    int fx = (int) Math.round((face.x() - crop.x()) * scale);
    int fy = (int) Math.round((face.y() - crop.y()) * scale);
    int fw = Math.max(1, (int) Math.round(face.w() * scale));
    int fh = Math.max(1, (int) Math.round(face.h() * scale));
    double left = Math.min(FADE * fw, 0.9 * fx);
    double right = Math.min(FADE * fw, 0.9 * (cw - fx - fw));
    double top = Math.min(FADE * fh, 0.9 * fy);
    double bottom = Math.min(FADE * fh, 0.9 * (ch - fy - fh));
    try (Rect r = new Rect(crop.x(), crop.y(), crop.w(), crop.h());
        Mat view = new Mat(photo, r);
        Mat head = new Mat()) {
      resize(view, head, new Size(cw, ch), 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
      if (look.blur() > 0) {
        GaussianBlur(head, head, new Size(0, 0), look.blur());
      }
      double[] headMean = mean(head, 0, 0, cw, ch);
      double[] frameMean = mean(frame, px, py, cw, ch);
      double[] shift = new double[3];
      for (int c = 0; c < 3; c++) {
        shift[c] = headMean[c] + look.toFrame() * (frameMean[c] - headMean[c]);
      }
      byte[] src = new byte[cw * 3];
      byte[] dst = new byte[cw * 3];
      for (int y = 0; y < ch; y++) {
        BytePointer in = head.ptr(y);
        BytePointer out = frame.ptr(py + y, px);
        in.get(src);
        out.get(dst);
        double ay = Math.min(fade(y, top), fade(ch - 1 - y, bottom));
        for (int x = 0; x < cw; x++) {
          double a = Math.min(ay, Math.min(fade(x, left), fade(cw - 1 - x, right)));
          for (int c = 0; c < 3; c++) {
            int i = x * 3 + c;
            double v =
                Math.max(
                    0, Math.min(255, ((src[i] & 0xff) - headMean[c]) * look.contrast() + shift[c]));
            dst[i] = (byte) Math.round(a * v + (1 - a) * (dst[i] & 0xff));
          }
        }
        out.put(dst);
      }
    }
    return new Box(px + fx, py + fy, fw, fh);
  }

  /** Per-channel mean of a w×h region of an 8-bit BGR image. */
  private static double[] mean(Mat image, int x0, int y0, int w, int h) {
    double[] sum = new double[3];
    byte[] row = new byte[w * 3];
    for (int y = 0; y < h; y++) {
      image.ptr(y0 + y, x0).get(row);
      for (int i = 0; i < row.length; i++) {
        sum[i % 3] += row[i] & 0xff;
      }
    }
    for (int c = 0; c < 3; c++) {
      sum[c] /= (double) w * h;
    }
    return sum;
  }

  /** Opacity at {@code d} pixels from an edge that fades over {@code width} pixels. */
  private static double fade(int d, double width) {
    return width <= 0 ? 1 : Math.min(1, (d + 0.5) / width);
  }
}
