package org.mosaicbeam.anonymize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mosaicbeam.model.Detection;

/**
 * Boxes that follow their object between two examined frames, without video. Each region found on
 * frame a is paired with the nearest region of the same label and similar size found on frame b; on
 * a frame between them the pair's box moves and resizes linearly, grown by a share of how far the
 * object moved, because the path between two looks is only guessed to be straight.
 */
final class BoxTracks {
  /** How far apart (in box sizes per frame of gap, plus one) two boxes may be and still pair. */
  static final double REACH_PER_FRAME = 1.0;

  /** Largest ratio of the two boxes' widths (and heights) that still pairs. */
  static final double MAX_SIZE_RATIO = 2.0;

  /** Growth on each side at mid-gap, as a share of the distance the box's centre moved. */
  static final double GROWTH = 0.25;

  /** One object seen on both frames. */
  record Pair(Detection from, Detection to) {}

  private BoxTracks() {}

  /** Pairs the regions of two examined frames {@code gap} frames apart, nearest first. */
  static List<Pair> match(List<Detection> from, List<Detection> to, long gap) {
    record Candidate(int i, int j, double distance) {}
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      for (int j = 0; j < to.size(); j++) {
        Detection a = from.get(i);
        Detection b = to.get(j);
        double d = Math.hypot(centreX(a) - centreX(b), centreY(a) - centreY(b));
        double size = Math.max(Math.max(a.width(), a.height()), Math.max(b.width(), b.height()));
        if (a.label().equals(b.label())
            && similar(a.width(), b.width())
            && similar(a.height(), b.height())
            && d <= size * (1 + REACH_PER_FRAME * gap)) {
          candidates.add(new Candidate(i, j, d));
        }
      }
    }
    candidates.sort(Comparator.comparingDouble(Candidate::distance));
    boolean[] usedFrom = new boolean[from.size()];
    boolean[] usedTo = new boolean[to.size()];
    List<Pair> pairs = new ArrayList<>();
    for (Candidate c : candidates) {
      if (!usedFrom[c.i()] && !usedTo[c.j()]) {
        usedFrom[c.i()] = true;
        usedTo[c.j()] = true;
        pairs.add(new Pair(from.get(c.i()), to.get(c.j())));
      }
    }
    return pairs;
  }

  /**
   * The pair's box at {@code t} in [0, 1] of the way from its first frame to its second: moved and
   * resized linearly, grown on each side by {@link #GROWTH} of the centre's travel at mid-gap (less
   * toward either end, none at the examined frames themselves).
   */
  static Detection at(Pair p, double t) {
    Detection a = p.from();
    Detection b = p.to();
    double travel = Math.hypot(centreX(a) - centreX(b), centreY(a) - centreY(b));
    double grow = GROWTH * travel * 4 * t * (1 - t);
    double cx = lerp(centreX(a), centreX(b), t);
    double cy = lerp(centreY(a), centreY(b), t);
    double w = lerp(a.width(), b.width(), t) + 2 * grow;
    double h = lerp(a.height(), b.height(), t) + 2 * grow;
    int x0 = (int) Math.floor(cx - w / 2);
    int y0 = (int) Math.floor(cy - h / 2);
    int x1 = (int) Math.ceil(cx + w / 2);
    int y1 = (int) Math.ceil(cy + h / 2);
    return new Detection(
        a.label(), Math.min(a.score(), b.score()), x0, y0, x1 - x0, y1 - y0); // Masks clamps
  }

  /**
   * The box stretched to each frame edge nearer than its own size: on the frames before it was
   * first seen (or after it was last seen) its object may be entering (or leaving) the picture
   * there, further out than the box.
   */
  static Detection toEdge(Detection d, int width, int height) {
    int x0 = d.x() < d.width() ? 0 : d.x();
    int y0 = d.y() < d.height() ? 0 : d.y();
    int x1 = width - (d.x() + d.width()) < d.width() ? width : d.x() + d.width();
    int y1 = height - (d.y() + d.height()) < d.height() ? height : d.y() + d.height();
    return new Detection(d.label(), d.score(), x0, y0, x1 - x0, y1 - y0);
  }

  private static boolean similar(int a, int b) {
    return Math.max(a, b) <= MAX_SIZE_RATIO * Math.max(1, Math.min(a, b));
  }

  private static double centreX(Detection d) {
    return d.x() + d.width() / 2.0;
  }

  private static double centreY(Detection d) {
    return d.y() + d.height() / 2.0;
  }

  private static double lerp(double a, double b, double t) {
    return a + (b - a) * t;
  }
}
