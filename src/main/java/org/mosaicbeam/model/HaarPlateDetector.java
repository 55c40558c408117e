package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * Licence plates with OpenCV's Haar cascade {@code haarcascade_russian_plate_number.xml} (ships in
 * the bytedeco opencv jar; no pretrained plate network is reachable offline). A cascade has no
 * probability: the score is {@code n / (n + 3)} for a box confirmed by {@code n} overlapping raw
 * hits, so 3 neighbours score 0.5. The frame is downscaled to at most {@code maxWidth} first: the
 * cascade's cost grows with the pixel count.
 */
public final class HaarPlateDetector implements Detector {
  public static final String CASCADE = "haarcascade_russian_plate_number.xml";

  private final CascadeClassifier cascade;
  private final float minScore;
  private final int maxWidth;
  // reused: a 1080p grey image is 2 MB, freshly mapped and faulted in on every frame otherwise
  private final Mat gray = new Mat();
  private final Mat small = new Mat();

  public HaarPlateDetector(float minScore, int maxWidth) {
    String path = ModelFiles.opencvCascade(CASCADE).getPath();
    cascade = new CascadeClassifier(path);
    if (cascade.empty()) {
      throw new IllegalStateException("cannot load cascade " + path);
    }
    this.minScore = minScore;
    this.maxWidth = maxWidth;
  }

  @Override
  public List<Detection> detect(Mat bgr) {
    double scale = Math.min(1.0, (double) maxWidth / bgr.cols());
    List<Detection> out = new ArrayList<>();
    try (RectVector rects = new RectVector();
        IntPointer hits = new IntPointer()) {
      cvtColor(bgr, gray, COLOR_BGR2GRAY);
      Mat img = gray;
      if (scale < 1.0) {
        resize(
            gray,
            small,
            new Size((int) (bgr.cols() * scale), (int) (bgr.rows() * scale)),
            0,
            0,
            INTER_LINEAR);
        img = small;
      }
      equalizeHist(img, img);
      cascade.detectMultiScale2(img, rects, hits, 1.1, 1, 0, new Size(36, 12), new Size());
      for (int i = 0; i < rects.size(); i++) {
        Rect r = rects.get(i);
        int n = hits.get(i);
        float score = n / (n + 3f);
        if (score >= minScore) {
          Detection d =
              Boxes.of(
                  Detection.PLATE,
                  score,
                  r.x() / scale,
                  r.y() / scale,
                  (r.x() + r.width()) / scale,
                  (r.y() + r.height()) / scale,
                  bgr.cols(),
                  bgr.rows());
          if (d != null) {
            out.add(d);
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    cascade.close();
    gray.close();
    small.close();
  }
}
