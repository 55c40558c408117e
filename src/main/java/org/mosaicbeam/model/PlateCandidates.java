package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.convertScaleAbs;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_BLACKHAT;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_OTSU;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyDefaultBorderValue;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Where a plate may be, before the verifier decides. Two sources, because neither alone finds
 * enough (train split of plates-dev, 521 plates): the text detector's strips find 0.89 but miss
 * faint, washed-out plates at night; dark strokes on a light patch (black-hat, then dense vertical
 * edges, the classic plate localiser) find 0.89 too, but different ones; together 0.96. Text strips
 * are also merged: neighbours on one line (a plate split at a gap) and two stacked lines (a
 * two-line plate).
 */
final class PlateCandidates {
  static final int MIN_WIDTH = 12;

  private PlateCandidates() {}

  /** A candidate box in source pixels; {@code text} is the strip's score, 0 when not text. */
  record Candidate(int x, int y, int width, int height, float text, float tilt) {
    Detection asDetection(String label, float score) {
      return new Detection(label, score, x, y, width, height);
    }
  }

  /**
   * The text strips, the unions of neighbouring pairs, and the union of each whole line of
   * neighbours (a plate read as "B", "10", "SIT" is only covered by all three).
   */
  static List<Candidate> fromText(List<TextDetector.TextBox> strips) {
    List<Candidate> out = new ArrayList<>();
    int n = strips.size();
    int[] line = new int[n]; // union-find over same-line neighbours
    for (int i = 0; i < n; i++) {
      TextDetector.TextBox t = strips.get(i);
      out.add(new Candidate(t.x(), t.y(), t.width(), t.height(), t.score(), t.angle()));
      line[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        TextDetector.TextBox a = strips.get(i);
        TextDetector.TextBox b = strips.get(j);
        boolean sameLine = i != j && sameLine(a, b);
        if (sameLine || (i != j && stacked(a, b))) {
          out.add(union(List.of(a, b)));
        }
        if (sameLine) {
          line[root(line, i)] = root(line, j);
        }
      }
    }
    for (int r = 0; r < n; r++) {
      List<TextDetector.TextBox> members = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (root(line, i) == r) {
          members.add(strips.get(i));
        }
      }
      if (members.size() > 2) {
        out.add(union(members));
      }
    }
    return out;
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  private static Candidate union(List<TextDetector.TextBox> boxes) {
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = Integer.MIN_VALUE;
    int y1 = Integer.MIN_VALUE;
    float score = 1;
    float tilt = 0;
    for (TextDetector.TextBox b : boxes) {
      x0 = Math.min(x0, b.x());
      y0 = Math.min(y0, b.y());
      x1 = Math.max(x1, b.x() + b.width());
      y1 = Math.max(y1, b.y() + b.height());
      score = Math.min(score, b.score());
      tilt += b.angle() / boxes.size();
    }
    return new Candidate(x0, y0, x1 - x0, y1 - y0, score, tilt);
  }

  /** {@code b} continues {@code a} to the right on the same line, after a gap under a height. */
  private static boolean sameLine(TextDetector.TextBox a, TextDetector.TextBox b) {
    int overlapY = Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y());
    int gap = b.x() - (a.x() + a.width());
    int h = Math.max(a.height(), b.height());
    return b.x() > a.x()
        && overlapY >= 0.6 * Math.min(a.height(), b.height())
        && h <= 1.6 * Math.min(a.height(), b.height())
        && gap <= h;
  }

  /** {@code b} is a second line under {@code a}, of a similar width. */
  private static boolean stacked(TextDetector.TextBox a, TextDetector.TextBox b) {
    int overlapX = Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x());
    int gap = b.y() - (a.y() + a.height());
    return b.y() > a.y()
        && overlapX >= 0.5 * Math.min(a.width(), b.width())
        && Math.max(a.width(), b.width()) <= 2.5 * Math.min(a.width(), b.width())
        && gap <= 0.5 * Math.max(a.height(), b.height());
  }

  /**
   * Light patches with dense dark vertical strokes, at two stroke scales, in a grey image; boxes
   * are scaled by {@code toSource} back to source pixels. Blobs are opened by one pixel and kept
   * from {@link #MIN_WIDTH} wide: on plates-world's train split that finds 63 of its 95 plates
   * under 35 px instead of 53 (two openings and 25 px before), at twice the candidates, which the
   * verifier sorts out.
   */
  static List<Candidate> fromStrokes(Mat gray, double toSource) {
    List<Candidate> out = new ArrayList<>();
    for (int k : new int[] {1, 2}) {
      strokes(gray, 13 * k, 5 * k, toSource, out);
    }
    return out;
  }

  private static void strokes(Mat gray, int kw, int kh, double toSource, List<Candidate> out) {
    try (Mat kernel = getStructuringElement(MORPH_RECT, new Size(kw, kh));
        Mat blackHat = new Mat();
        Mat gx = new Mat();
        Mat edges = new Mat();
        Mat bin = new Mat();
        Mat none = new Mat();
        MatVector contours = new MatVector();
        Mat hierarchy = new Mat()) {
      // dark strokes narrower than the kernel, on anything lighter
      morphologyEx(gray, blackHat, MORPH_BLACKHAT, kernel);
      Sobel(blackHat, gx, CV_32F, 1, 0, 3, 1, 0, BORDER_CONSTANT);
      convertScaleAbs(gx, edges, 1, 0);
      GaussianBlur(edges, edges, new Size(5, 5), 0);
      morphologyEx(edges, edges, MORPH_CLOSE, kernel); // strokes of a line join into one blob
      threshold(edges, bin, 0, 255, THRESH_BINARY | THRESH_OTSU);
      Point anchor = new Point(-1, -1);
      erode(bin, bin, none, anchor, 1, BORDER_CONSTANT, morphologyDefaultBorderValue());
      dilate(bin, bin, none, anchor, 1, BORDER_CONSTANT, morphologyDefaultBorderValue());
      findContours(bin, contours, hierarchy, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
      for (long i = 0; i < contours.size(); i++) {
        try (Mat c = contours.get(i);
            Rect r = boundingRect(c)) {
          double aspect = r.width() / (double) r.height();
          if (aspect >= 1.5 && aspect <= 8 && r.width() >= MIN_WIDTH && r.width() <= 450) {
            out.add(
                new Candidate(
                    (int) (r.x() * toSource),
                    (int) (r.y() * toSource),
                    (int) Math.ceil(r.width() * toSource),
                    (int) Math.ceil(r.height() * toSource),
                    0,
                    0));
          }
        }
      }
    }
  }
}
