package org.mosaicbeam.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mosaicbeam.model.Boxes;
import org.mosaicbeam.model.Detection;

/**
 * Recall and stray boxes of one class over a set of annotated images. An annotated box counts as
 * found when a detection overlaps it with IoU >= 0.3 or covers >= 60 % of it (a mask that hides
 * most of a plate or face does its job even when the box is larger); a detection that finds no
 * annotated box, and lies on no box marked ignore, is a stray. Recall is broken down by size
 * (plates: width; faces: the shorter side, as WIDER FACE and faces-dev count "faces >= 20 px") and,
 * where images name one, by region.
 */
public final class DetectionScore {
  static final double MIN_IOU = 0.3;
  static final double MIN_COVER = 0.6;

  private final String label;
  private final boolean byShorterSide;
  private final int[] binEdges; // sizes: [0, e0), [e0, e1), ..., [eN, inf)
  private final int[] found;
  private final int[] total;
  private final int minSize; // the headline recall counts boxes at least this large
  private final Map<String, DetectionScore> regions = new TreeMap<>();
  private int images;
  private int strays;

  public DetectionScore(String label, boolean byShorterSide, int minSize, int... binEdges) {
    this.label = label;
    this.byShorterSide = byShorterSide;
    this.minSize = minSize;
    this.binEdges = binEdges.clone();
    found = new int[binEdges.length + 1];
    total = new int[binEdges.length + 1];
  }

  /** Plates: every annotated plate counts; faces: the headline is faces >= 20 px. */
  public static DetectionScore forLabel(String label) {
    return label.equals(Detection.PLATE)
        ? new DetectionScore(label, false, 0, 60, 100, 150)
        : new DetectionScore(label, true, 20, 20, 30, 50, 100);
  }

  /** Scores one image: its annotated boxes of this class against all detections. */
  public void add(List<Detection> truth, List<Detection> detections) {
    add(truth, List.of(), null, detections);
  }

  /** Scores one image with boxes to ignore and its region ({@code null}: none). */
  public void add(
      List<Detection> truth, List<Detection> ignore, String region, List<Detection> detections) {
    List<Detection> mine = detections.stream().filter(d -> d.label().equals(label)).toList();
    images++;
    for (Detection t : truth) {
      int bin = bin(size(t));
      total[bin]++;
      if (mine.stream().anyMatch(d -> matches(d, t))) {
        found[bin]++;
      }
    }
    for (Detection d : mine) {
      if (truth.stream().noneMatch(t -> matches(d, t))
          && ignore.stream().noneMatch(t -> matches(d, t))) {
        strays++;
      }
    }
    if (region != null) {
      regions
          .computeIfAbsent(region, r -> new DetectionScore(label, byShorterSide, minSize, binEdges))
          .add(truth, ignore, null, detections);
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

  private int size(Detection d) {
    return byShorterSide ? Math.min(d.width(), d.height()) : d.width();
  }

  private int bin(int size) {
    int b = 0;
    while (b < binEdges.length && size >= binEdges[b]) {
      b++;
    }
    return b;
  }

  /** Recall over the boxes at least {@link #minSize} large (all boxes when that is 0). */
  public double recall() {
    int f = 0;
    int t = 0;
    for (int b = 0; b < total.length; b++) {
      if (b > 0 ? binEdges[b - 1] >= minSize : minSize <= 0) {
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

  /** The score of the images of one region, or null when no image named it. */
  public DetectionScore region(String region) {
    return regions.get(region);
  }

  /** A few lines: headline recall, strays per image, recall per size and per region. */
  public String report() {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%ss: recall %.3f%s, %.3f at all sizes (%d annotated in %d images); %.2f stray boxes per"
                    + " image (%d)%n",
                label,
                recall(),
                minSize > 0 ? " (>= " + minSize + " px)" : "",
                recallAllSizes(),
                annotated(),
                images,
                straysPerImage(),
                strays));
    s.append(byShorterSide ? "  by shorter side:" : "  by width:");
    for (int b = 0; b < total.length; b++) {
      String range =
          b == 0
              ? "< " + binEdges[0]
              : b == binEdges.length
                  ? ">= " + binEdges[b - 1]
                  : binEdges[b - 1] + "-" + binEdges[b];
      s.append(String.format(Locale.ROOT, "  %s px %d/%d", range, found[b], total[b]));
    }
    s.append('\n');
    if (!regions.isEmpty()) {
      s.append("  by region:");
      regions.forEach(
          (name, r) ->
              s.append(
                  String.format(
                      Locale.ROOT,
                      "  %s %.3f (%d), %.2f strays/img",
                      name,
                      r.recallAllSizes(),
                      r.annotated(),
                      r.straysPerImage())));
      s.append('\n');
    }
    return s.toString();
  }

  private int annotated() {
    int all = 0;
    for (int t : total) {
      all += t;
    }
    return all;
  }
}
