package org.mosaicbeam.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mosaicbeam.model.Detection;

/**
 * How well an anonymize run covered the objects of a motion set: an object-frame is covered when
 * the regions masked on that frame (or the whole frame) cover at least {@link #MIN_SHARE} of the
 * object's box. Counted per kind of motion; the longest run of uncovered frames is per object.
 */
final class Coverage {
  static final double MIN_SHARE = 0.9;

  /** One object on one frame, and what was masked on that frame. */
  record ObjectFrame(
      String kind,
      String clip,
      int object,
      long frame,
      Detection box,
      List<Detection> masked,
      boolean wholeFrame) {}

  /** The result of one kind (or of all). */
  record Score(long objectFrames, long covered, long longestGap) {
    double share() {
      return objectFrames == 0 ? 1 : (double) covered / objectFrames;
    }
  }

  private Coverage() {}

  /**
   * Share of {@code box} inside the union of {@code regions}, sampled on a grid of at most 64x64.
   */
  static double covered(Detection box, List<Detection> regions) {
    int nx = Math.min(64, box.width());
    int ny = Math.min(64, box.height());
    int inside = 0;
    for (int i = 0; i < nx; i++) {
      double x = box.x() + (i + 0.5) * box.width() / nx;
      for (int j = 0; j < ny; j++) {
        double y = box.y() + (j + 0.5) * box.height() / ny;
        for (Detection r : regions) {
          if (x >= r.x() && x < r.x() + r.width() && y >= r.y() && y < r.y() + r.height()) {
            inside++;
            break;
          }
        }
      }
    }
    return (double) inside / (nx * ny);
  }

  static boolean isCovered(ObjectFrame o) {
    return o.wholeFrame() || covered(o.box(), o.masked()) >= MIN_SHARE;
  }

  /**
   * Scores per kind, in the order the kinds first appear, and "all" last. Object-frames must be in
   * frame order per object.
   */
  static Map<String, Score> score(List<ObjectFrame> frames) {
    Map<String, long[]> counts = new LinkedHashMap<>(); // kind -> objectFrames, covered, gap
    Map<String, long[]> runs = new LinkedHashMap<>(); // clip#object -> current gap, last frame
    for (ObjectFrame o : frames) {
      boolean covered = isCovered(o);
      for (String k : List.of(o.kind(), "all")) {
        long[] c = counts.computeIfAbsent(k, x -> new long[3]);
        c[0]++;
        c[1] += covered ? 1 : 0;
      }
      long[] run = runs.computeIfAbsent(o.clip() + "#" + o.object(), x -> new long[] {0, -2});
      run[0] = covered ? 0 : (run[1] == o.frame() - 1 ? run[0] + 1 : 1);
      run[1] = o.frame();
      for (String k : List.of(o.kind(), "all")) {
        long[] c = counts.get(k);
        c[2] = Math.max(c[2], run[0]);
      }
    }
    Map<String, Score> out = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(counts.keySet());
    order.remove("all");
    order.add("all");
    for (String k : order) {
      long[] c = counts.get(k);
      out.put(k, new Score(c[0], c[1], c[2]));
    }
    return out;
  }
}
