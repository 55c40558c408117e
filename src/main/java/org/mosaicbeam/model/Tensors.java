package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** Image → model input tensor conversion (letterboxing keeps the aspect ratio). */
final class Tensors {
  private Tensors() {}

  /** How a letterboxed input maps back to the source image. */
  record Letterbox(double scale, int padX, int padY) {
    double toSourceX(double x) {
      return (x - padX) / scale;
    }

    double toSourceY(double y) {
      return (y - padY) / scale;
    }
  }

  /**
   * Letterboxes {@code bgr} into a {@code w×h} RGB float image, values {@code v*mul+add}, written
   * to {@code out} as NHWC (interleaved) or NCHW (planar).
   */
  static Letterbox fill(Mat bgr, int w, int h, double mul, double add, double padValue,
      boolean nchw, FloatBuffer out) {
    double scale = Math.min((double) w / bgr.cols(), (double) h / bgr.rows());
    int rw = Math.max(1, (int) Math.round(bgr.cols() * scale));
    int rh = Math.max(1, (int) Math.round(bgr.rows() * scale));
    int padX = (w - rw) / 2;
    int padY = (h - rh) / 2;
    try (Mat resized = new Mat(); Mat boxed = new Mat(); Mat rgb = new Mat();
        Mat f = new Mat()) {
      resize(bgr, resized, new Size(rw, rh), 0, 0, INTER_LINEAR);
      copyMakeBorder(resized, boxed, padY, h - rh - padY, padX, w - rw - padX, BORDER_CONSTANT,
          new Scalar(padValue, padValue, padValue, 0));
      cvtColor(boxed, rgb, COLOR_BGR2RGB);
      rgb.convertTo(f, CV_32F, mul, add);
      out.clear();
      try (FloatIndexer idx = f.createIndexer()) {
        if (nchw) {
          for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
              for (int x = 0; x < w; x++) {
                out.put(idx.get(y, x, c));
              }
            }
          }
        } else {
          float[] row = new float[w * 3];
          for (int y = 0; y < h; y++) {
            idx.get(y, 0, row);
            out.put(row);
          }
        }
      }
      out.flip();
    }
    return new Letterbox(scale, padX, padY);
  }
}
