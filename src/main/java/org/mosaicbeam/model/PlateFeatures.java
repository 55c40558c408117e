package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_16S;
import static org.bytedeco.opencv.global.opencv_core.convertScaleAbs;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * What the plate verifier looks at for one candidate: the shape of its strokes (HOG of the box at
 * 64×24), the shape of what surrounds it (a coarse HOG of the box grown to 2× its width and 3× its
 * height: a plate sits on a car's flat rear or front, a shop sign on a facade), and a few numbers
 * about the box (aspect, text score, brightness and contrast against its surroundings, colour, edge
 * density, stroke count). Grey-level HOG rather than colour, so that plates of other countries'
 * colours still look like plates.
 */
final class PlateFeatures implements AutoCloseable {
  private static final Size BOX = new Size(64, 24);
  private static final Size CONTEXT = new Size(64, 32);
  private static final int SCALARS = 13;

  private final HOGDescriptor boxHog =
      new HOGDescriptor(BOX, new Size(16, 16), new Size(8, 8), new Size(8, 8), 9);
  private final HOGDescriptor contextHog =
      new HOGDescriptor(CONTEXT, new Size(32, 32), new Size(16, 16), new Size(16, 16), 9);
  private final int boxDims = (int) boxHog.getDescriptorSize();
  private final int contextDims = (int) contextHog.getDescriptorSize();
  private final Mat patch = new Mat();
  private final Mat context = new Mat();
  private final Mat hsv = new Mat();
  private final Mat sobel = new Mat();
  private final Mat edges = new Mat();

  /** Length of every feature vector. */
  int size() {
    return boxDims + contextDims + SCALARS;
  }

  /**
   * @param gray the whole frame in grey
   * @param bgr the whole frame
   */
  float[] of(Mat gray, Mat bgr, PlateCandidates.Candidate c) {
    float[] f = new float[size()];
    int w = gray.cols();
    int h = gray.rows();
    try (Rect box = clip(c.x(), c.y(), c.width(), c.height(), w, h);
        Rect around =
            clip(c.x() - c.width() / 2, c.y() - c.height(), c.width() * 2, c.height() * 3, w, h);
        Mat boxGray = new Mat(gray, box);
        Mat aroundGray = new Mat(gray, around);
        Mat boxBgr = new Mat(bgr, box)) {
      resize(boxGray, patch, BOX, 0, 0, INTER_AREA);
      float[] hog = new float[boxDims];
      boxHog.compute(patch, hog);
      System.arraycopy(hog, 0, f, 0, boxDims);
      resize(aroundGray, context, CONTEXT, 0, 0, INTER_AREA);
      float[] ctx = new float[contextDims];
      contextHog.compute(context, ctx);
      System.arraycopy(ctx, 0, f, boxDims, contextDims);

      int i = boxDims + contextDims;
      double[] in = meanStd(boxGray);
      double[] out = meanStd(aroundGray);
      cvtColor(boxBgr, hsv, COLOR_BGR2HSV);
      double[] sat = meanStd(hsv, 1);
      f[i++] = (float) Math.log((double) c.width() / c.height());
      f[i++] = (float) Math.log(c.height());
      f[i++] = c.text();
      f[i++] = c.text() > 0 ? 1 : 0;
      f[i++] = Math.abs(c.tilt()) / 45f;
      f[i++] = (float) (in[0] / 255);
      f[i++] = (float) (in[1] / 255);
      f[i++] = (float) (out[0] / 255);
      f[i++] = (float) ((in[0] - out[0]) / 255);
      f[i++] = (float) (sat[0] / 255);
      f[i++] = edgeDensity(patch, 1, 0);
      f[i++] = edgeDensity(patch, 0, 1);
      f[i++] = strokes(patch);
    }
    return f;
  }

  private static Rect clip(int x, int y, int w, int h, int width, int height) {
    int x0 = Math.max(0, Math.min(width - 1, x));
    int y0 = Math.max(0, Math.min(height - 1, y));
    int x1 = Math.max(x0 + 1, Math.min(width, x + w));
    int y1 = Math.max(y0 + 1, Math.min(height, y + h));
    return new Rect(x0, y0, x1 - x0, y1 - y0);
  }

  private static double[] meanStd(Mat m) {
    return meanStd(m, 0);
  }

  private static double[] meanStd(Mat m, int channel) {
    try (Mat mean = new Mat();
        Mat std = new Mat()) {
      meanStdDev(m, mean, std);
      return new double[] {mean.ptr(channel).getDouble(), std.ptr(channel).getDouble()};
    }
  }

  /** Mean absolute Sobel response of the 64×24 patch in one direction, scaled to [0, 1]. */
  private float edgeDensity(Mat p, int dx, int dy) {
    Sobel(p, sobel, CV_16S, dx, dy);
    convertScaleAbs(sobel, edges, 0.25, 0); // a 3×3 Sobel of 8-bit input stays within ±1020
    return (float) (mean(edges).get(0) / 255);
  }

  /** Dark/light changes along the patch's middle row, per pixel: characters give many. */
  private static float strokes(Mat p) {
    UByteIndexer idx = p.createIndexer();
    int row = p.rows() / 2;
    long sum = 0;
    for (int x = 0; x < p.cols(); x++) {
      sum += idx.get(row, x);
    }
    double mean = (double) sum / p.cols();
    int changes = 0;
    boolean above = idx.get(row, 0) > mean;
    for (int x = 1; x < p.cols(); x++) {
      boolean a = idx.get(row, x) > mean;
      if (a != above) {
        changes++;
        above = a;
      }
    }
    idx.close();
    return changes / (float) p.cols();
  }

  @Override
  public void close() {
    boxHog.close();
    contextHog.close();
    patch.close();
    context.close();
    hsv.close();
    sobel.close();
    edges.close();
  }
}
