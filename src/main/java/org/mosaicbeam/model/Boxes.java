package org.mosaicbeam.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Box arithmetic shared by the detectors: clamping and overlap removal. */
public final class Boxes {
  private Boxes() {}

  /** The detection clipped to a width×height image, or null when nothing of it is inside. */
  public static Detection clamp(Detection d, int width, int height) {
    int x0 = Math.max(0, d.x());
    int y0 = Math.max(0, d.y());
    int x1 = Math.min(width, d.x() + d.width());
    int y1 = Math.min(height, d.y() + d.height());
    if (x1 <= x0 || y1 <= y0) {
      return null;
    }
    return new Detection(d.label(), d.score(), x0, y0, x1 - x0, y1 - y0);
  }

  /** A detection from float corner coordinates, rounded outward (never shrinks a region). */
  public static Detection of(
      String label,
      float score,
      double x0,
      double y0,
      double x1,
      double y1,
      int width,
      int height) {
    int ix0 = (int) Math.floor(x0);
    int iy0 = (int) Math.floor(y0);
    int ix1 = (int) Math.ceil(x1);
    int iy1 = (int) Math.ceil(y1);
    return clamp(new Detection(label, score, ix0, iy0, ix1 - ix0, iy1 - iy0), width, height);
  }

  public static double iou(Detection a, Detection b) {
    int x0 = Math.max(a.x(), b.x());
    int y0 = Math.max(a.y(), b.y());
    int x1 = Math.min(a.x() + a.width(), b.x() + b.width());
    int y1 = Math.min(a.y() + a.height(), b.y() + b.height());
    double inter = Math.max(0, x1 - x0) * (double) Math.max(0, y1 - y0);
    double union = (double) a.width() * a.height() + (double) b.width() * b.height() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** Greedy non-maximum suppression: keeps the best-scoring box of each overlapping group. */
  public static List<Detection> nms(List<Detection> in, double iouThreshold) {
    List<Detection> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      boolean overlaps = false;
      for (Detection k : kept) {
        if (k.label().equals(d.label()) && iou(k, d) > iouThreshold) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps) {
        kept.add(d);
      }
    }
    return kept;
  }
}
