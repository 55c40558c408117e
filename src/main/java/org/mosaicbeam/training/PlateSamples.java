package org.mosaicbeam.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mosaicbeam.evaluation.DetectionScore;
import org.mosaicbeam.evaluation.GroundTruth;
import org.mosaicbeam.model.Boxes;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.PlateFinder;

/**
 * One training image's plate candidates with their features and labels. A candidate is a plate when
 * it overlaps an annotated plate well (IoU >= 0.4, or it covers >= 60 % of it at IoU >= 0.2) and
 * background when it barely touches any; the ones in between are left out rather than taught either
 * way. Shifted and resized copies of each annotated plate are added as plates, so the verifier also
 * knows a plate framed a little differently from how the candidates frame it.
 */
record PlateSamples(GroundTruth.Image image, int width, int height, List<Sample> samples) {

  /** {@code plate} is null when the candidate is left out of training. */
  record Sample(Detection box, Boolean plate, boolean augmented) {}

  static final int COPIES = 3;

  static PlateSamples of(
      GroundTruth.Image image,
      org.bytedeco.opencv.opencv_core.Mat bgr,
      PlateFinder finder,
      Random random)
      throws Exception {
    List<Detection> copies = new ArrayList<>();
    for (Detection p : image.plates()) {
      for (int k = 0; k < COPIES; k++) {
        double dw = p.width() * (1 + 0.2 * (random.nextDouble() - 0.5));
        double dh = p.height() * (1 + 0.2 * (random.nextDouble() - 0.5));
        double cx = p.x() + p.width() / 2.0 + p.width() * 0.1 * (random.nextDouble() - 0.5);
        double cy = p.y() + p.height() / 2.0 + p.height() * 0.2 * (random.nextDouble() - 0.5);
        Detection d =
            Boxes.of(
                Detection.PLATE,
                1,
                cx - dw / 2,
                cy - dh / 2,
                cx + dw / 2,
                cy + dh / 2,
                bgr.cols(),
                bgr.rows());
        if (d != null) {
          copies.add(d);
        }
      }
    }
    List<Sample> out = new ArrayList<>();
    for (Detection c : finder.candidates(bgr)) {
      out.add(new Sample(c, label(c, image.plates()), false));
    }
    for (Detection c : copies) {
      out.add(new Sample(c, true, true));
    }
    return new PlateSamples(image, bgr.cols(), bgr.rows(), out);
  }

  private static Boolean label(Detection box, List<Detection> plates) {
    double best = 0;
    boolean touches = false;
    for (Detection p : plates) {
      double iou = Boxes.iou(box, p);
      best = Math.max(best, iou);
      if (iou >= 0.2 && DetectionScore.covered(box, p) >= 0.6) {
        return true;
      }
      touches |= iou >= 0.05 || DetectionScore.covered(box, p) >= 0.1;
    }
    return best >= 0.4 ? Boolean.TRUE : touches ? null : Boolean.FALSE;
  }

  /** Scores this image as the finder would see it: real candidates at or above the threshold. */
  void score(float[] scores, float threshold, DetectionScore into) {
    List<Detection> accepted = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (!s.augmented() && scores[i] >= threshold) {
        Detection b = s.box();
        accepted.add(new Detection(b.label(), scores[i], b.x(), b.y(), b.width(), b.height()));
      }
    }
    into.add(image.plates(), PlateFinder.finish(accepted, width, height));
  }
}
