package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.OrtException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.base.UserError;

/**
 * The local plate detector: candidates from the project's plate finder network ({@link PlateNet},
 * the default) or from the PP-OCR text detector, and from stroke patterns ({@link
 * PlateCandidates}), each judged by the project's own trained {@link PlateVerifier}, so that plates
 * are masked and shop signs and traffic signs stay readable. Accepted boxes that touch are merged
 * (two halves of one plate become one mask), then padded out to the plate's border.
 */
public final class PlateFinder implements Detector {
  /**
   * The verifier score a plate needs by default: the highest that keeps every plate the verifier
   * finds at all on plates-world valid (0.948 from 0.05 up to 0.2; 0.77 stray boxes per image, as
   * many as before this verifier) with plates-dev under 0.5 strays (README, "Detection quality").
   */
  public static final float DEFAULT_MIN_SCORE = 0.2f;

  /** The default search size: a 1080p frame at 2/3 of its width, a 720p frame as it is. */
  public static final int WORK_SIDE = 1280;

  /**
   * The network's plate probabilities whose blobs are candidates ({@link PlateNet}): 0.1 reaches
   * faint plates, 0.6 cuts small plates out of the car around them. On plates-world valid, 0.3
   * alone gave 0.952 of the plates a candidate; these three, with the squarer shapes below, 0.972
   * (README, "Detection quality").
   */
  static final float[] NET_THRESHOLDS = {0.1f, 0.3f, 0.6f};

  /** Where the candidates besides the stroke patterns come from ({@code --plateModel}). */
  public enum Source {
    /** The plate finder network ({@code --plateModel=net}). */
    NET,
    /** The PP-OCRv3 text detector ({@code --plateModel=text}). */
    TEXT
  }

  // text strips cover the characters; a plate reaches ~0.2 text heights beyond them sideways
  // (plates-dev train: median 0.23 left, 0.14 right) and a little above and below
  private static final double PAD_X = 0.25;
  private static final double PAD_Y = 0.12;

  // plate shapes: the train split's plate candidates span 1.6-7.9 (width / height); wider
  // margins for plates of other countries (two-line plates of the US, Italy, Singapore seen as
  // blobs taller than wide: 0.5), while lines of printed text (20:1 and more) go
  private static final double MIN_ASPECT = 0.5;
  private static final double MAX_ASPECT = 10.0;

  private final PlateNet net; // Source.NET, else null
  private final TextDetector text; // Source.TEXT, else null
  private final int workSide;
  private final PlateVerifier verifier; // null: every candidate (for training)
  private final float minScore;
  private final Mat gray = new Mat();
  private final Mat small = new Mat();

  private PlateFinder(
      PlateNet net, TextDetector text, int workSide, PlateVerifier verifier, float minScore) {
    this.net = net;
    this.text = text;
    this.workSide = workSide;
    this.verifier = verifier;
    this.minScore = minScore;
  }

  /**
   * A finder searching at {@code workSide}; {@code netFile} and {@code verifierFile} replace the
   * shipped models when not null.
   */
  public static PlateFinder create(
      Source source, float minScore, int workSide, File netFile, File verifierFile)
      throws Exception {
    PlateVerifier v =
        verifierFile == null
            ? PlateVerifier.shipped()
            : load("--plateVerifier", verifierFile, PlateVerifier::load);
    return source == Source.TEXT
        ? new PlateFinder(
            null, new TextDetector(TextDetector.Version.V3, workSide), workSide, v, minScore)
        : new PlateFinder(network(netFile, workSide), null, workSide, v, minScore);
  }

  /** The finder without a verifier, to collect training candidates ({@code net}: null, shipped). */
  public static PlateFinder forTraining(File net) throws Exception {
    return new PlateFinder(network(net, WORK_SIDE), null, WORK_SIDE, null, 0);
  }

  private static PlateNet network(File file, int workSide) throws Exception {
    return file == null
        ? PlateNet.shipped(workSide, NET_THRESHOLDS)
        : load("--plateNet", file, b -> new PlateNet(b, workSide, NET_THRESHOLDS));
  }

  private interface Loader<T> {
    T load(byte[] bytes) throws Exception;
  }

  private static <T> T load(String flag, File file, Loader<T> loader) throws Exception {
    try {
      return loader.load(Files.readAllBytes(file.toPath()));
    } catch (IOException | OrtException e) {
      throw new UserError(flag + "=" + file + ": " + e.getMessage(), e);
    }
  }

  /** All candidates of a frame (boxes as found, not padded). */
  public List<Detection> candidates(Mat bgr) throws Exception {
    cvtColor(bgr, gray, COLOR_BGR2GRAY);
    double scale = Math.min(1.0, (double) workSide / Math.max(bgr.cols(), bgr.rows()));
    Mat work = gray;
    if (scale < 1) {
      resize(
          gray,
          small,
          new Size((int) Math.round(bgr.cols() * scale), (int) Math.round(bgr.rows() * scale)),
          0,
          0,
          INTER_AREA);
      work = small;
    }
    List<Detection> all = new ArrayList<>();
    if (net != null) {
      all.addAll(net.candidates(bgr));
    } else {
      for (PlateCandidates.Candidate c : PlateCandidates.fromText(text.detect(bgr))) {
        all.add(c.asDetection(Detection.PLATE, c.text()));
      }
    }
    for (PlateCandidates.Candidate c : PlateCandidates.fromStrokes(work, 1 / scale)) {
      all.add(c.asDetection(Detection.PLATE, 0));
    }
    List<Detection> out = new ArrayList<>();
    for (Detection c : all) {
      Detection d = Boxes.clamp(c, bgr.cols(), bgr.rows());
      double aspect = d == null ? 0 : (double) d.width() / d.height();
      if (d != null
          && d.width() >= 8
          && d.height() >= 4
          && aspect >= MIN_ASPECT
          && aspect <= MAX_ASPECT) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    List<Detection> candidates = candidates(bgr);
    float[] scores = verifier == null ? null : verifier.score(bgr, candidates);
    List<Detection> accepted = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      float score = scores == null ? 1 : scores[i];
      if (score >= minScore) {
        Detection b = candidates.get(i);
        accepted.add(new Detection(Detection.PLATE, score, b.x(), b.y(), b.width(), b.height()));
      }
    }
    return finish(accepted, bgr.cols(), bgr.rows());
  }

  /** From accepted candidates to plate boxes: touching ones merged, then padded and clamped. */
  public static List<Detection> finish(List<Detection> accepted, int width, int height) {
    List<Detection> out = new ArrayList<>();
    for (Detection d : mergeTouching(accepted)) {
      Detection padded =
          Boxes.of(
              Detection.PLATE,
              d.score(),
              d.x() - PAD_X * d.height(),
              d.y() - PAD_Y * d.height(),
              d.x() + d.width() + PAD_X * d.height(),
              d.y() + d.height() + PAD_Y * d.height(),
              width,
              height);
      if (padded != null) {
        out.add(padded);
      }
    }
    return out;
  }

  /** Boxes that overlap become their union (with the best score), until none overlap. */
  static List<Detection> mergeTouching(List<Detection> boxes) {
    List<Detection> out = new ArrayList<>(boxes);
    out.sort(Comparator.comparingDouble(Detection::score).reversed());
    boolean merged = true;
    while (merged) {
      merged = false;
      outer:
      for (int i = 0; i < out.size(); i++) {
        for (int j = i + 1; j < out.size(); j++) {
          Detection a = out.get(i);
          Detection b = out.get(j);
          if (Boxes.iou(a, b) > 0) {
            int x0 = Math.min(a.x(), b.x());
            int y0 = Math.min(a.y(), b.y());
            int x1 = Math.max(a.x() + a.width(), b.x() + b.width());
            int y1 = Math.max(a.y() + a.height(), b.y() + b.height());
            out.set(
                i,
                new Detection(a.label(), Math.max(a.score(), b.score()), x0, y0, x1 - x0, y1 - y0));
            out.remove(j);
            merged = true;
            break outer;
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    if (net != null) {
      net.close();
    } else {
      text.close();
    }
    if (verifier != null) {
      verifier.close();
    }
    gray.close();
    small.close();
  }
}
