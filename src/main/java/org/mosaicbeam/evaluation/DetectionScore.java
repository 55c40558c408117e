package org.mosaicbeam.evaluation;

import java.util.List;
import java.util.Locale;
import org.mosaicbeam.model.Boxes;
import org.mosaicbeam.model.Detection;

/**
 * Recall and stray boxes of one class over a set of annotated images. An annotated box counts as
 * found when a detection overlaps it with IoU >= 0.3 or covers >= 60 % of it (a mask that hides
 * most of a plate or face does its job even when the box is larger); a detection that finds no
 * annotated box is a stray. Recall is broken down by the annotated box's width.
 */
public final class DetectionScore {
  static final double MIN_IOU = 0.3;
  static final double MIN_COVER = 0.6;

  private final String label;
  private final int[] binEdges; // widths: [0, e0), [e0, e1), ..., [eN, inf)
  private final int[] found;
  private final int[] total;
  private final int minWidth; // the headline recall counts boxes at least this wide
  private int images;
  private int strays;

  public DetectionScore(String label, int minWidth, int... binEdges) {
    this.label = label;
    this.minWidth = minWidth;
    this.binEdges = binEdges.clone();
    found = new int[binEdges.length + 1];
    total = new int[binEdges.length + 1];
  }

  /** Plates: every annotated plate counts; faces: the headline is faces >= 20 px wide. */
  public static DetectionScore forLabel(String label) {
    return label.equals(Detection.PLATE)
        ? new DetectionScore(label, 0, 60, 100, 150)
        : new DetectionScore(label, 20, 20, 30, 50, 100);
  }

  /** Scores one image: its annotated boxes of this class against all detections. */
  public void add(List<Detection> truth, List<Detection> detections) {
    List<Detection> mine = detections.stream().filter(d -> d.label().equals(label)).toList();
    images++;
    for (Detection t : truth) {
      int bin = bin(t.width());
      total[bin]++;
      if (mine.stream().anyMatch(d -> matches(d, t))) {
        found[bin]++;
      }
    }
    for (Detection d : mine) {
      if (truth.stream().noneMatch(t -> matches(d, t))) {
        strays++;
      }
    }
  }

  public static boolean matches(Detection d, Detection truth) {
    return Boxes.iou(d, truth) >= MIN_IOU || covered(d, truth) >= MIN_COVER;
  }

  /** The share of {@code truth}'s area inside {@code d}. */
  public static double covered(Detection d, Detection truth) {
    int w = Math.min(d.x() + d.width(), truth.x() + truth.width()) - Math.max(d.x(), truth.x());
    int h = Math.min(d.y() + d.height(), truth.y() + truth.height()) - Math.max(d.y(), truth.y());
    return w <= 0 || h <= 0 ? 0 : (double) w * h / ((double) truth.width() * truth.height());
  }

  private int bin(int width) {
    int b = 0;
    while (b < binEdges.length && width >= binEdges[b]) {
      b++;
    }
    return b;
  }

  /** Recall over the boxes at least {@link #minWidth} wide (all boxes when that is 0). */
  public double recall() {
    int f = 0;
    int t = 0;
    for (int b = 0; b < total.length; b++) {
      if (b > 0 ? binEdges[b - 1] >= minWidth : minWidth <= 0) {
        f += found[b];
        t += total[b];
      }
    }
    return t == 0 ? Double.NaN : (double) f / t;
  }

  public double recallAllSizes() {
    int f = 0;
    int t = 0;
    for (int b = 0; b < total.length; b++) {
      f += found[b];
      t += total[b];
    }
    return t == 0 ? Double.NaN : (double) f / t;
  }

  public double straysPerImage() {
    return images == 0 ? 0 : (double) strays / images;
  }

  public int images() {
    return images;
  }

  /** A few lines: headline recall, strays per image, and recall per size. */
  public String report() {
    int all = 0;
    for (int t : total) {
      all += t;
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%ss: recall %.3f%s, %.3f at all sizes (%d annotated in %d images); %.2f stray boxes per"
                    + " image (%d)%n",
                label,
                recall(),
                minWidth > 0 ? " (>= " + minWidth + " px)" : "",
                recallAllSizes(),
                all,
                images,
                straysPerImage(),
                strays));
    s.append("  by width:");
    for (int b = 0; b < total.length; b++) {
      String range =
          b == 0
              ? "< " + binEdges[0]
              : b == binEdges.length
                  ? ">= " + binEdges[b - 1]
                  : binEdges[b - 1] + "-" + binEdges[b];
      s.append(String.format(Locale.ROOT, "  %s px %d/%d", range, found[b], total[b]));
    }
    return s.append('\n').toString();
  }
}
