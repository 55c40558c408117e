package org.mosaicbeam.evaluation;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.model.BlazeFaceDetector;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.model.FaceSearch;
import org.mosaicbeam.model.YuNetDetector;

/**
 * Not a test: the measurement behind the default face search. For each setting, runs the face model
 * once over an annotated set (faces-dev, or one made by {@code make-face-set}) and scores it with
 * {@link DetectionScore} (as {@code detect --groundTruth} does) at several score thresholds; a
 * threshold applied after non-maximum suppression gives the same boxes as one applied before, since
 * a box is only ever suppressed by a higher-scoring one. CPU is the detecting thread's time per
 * image (ONNX Runtime on that thread: one intra-op thread) on its second look at the image (the
 * first creates the session for a new input size); it is given per image and for the set's 1920-
 * and 1280-wide images apart. Usage (classpath through CLASSPATH, see scripts/mosaicbeam): {@code
 * java org.mosaicbeam.evaluation.FaceSearchBench LABELS.jsonl SETTING,... [THRESHOLD,...]}, a
 * setting being {@code yunet@SCALE} (the shipped YuNet), {@code FILE.onnx@SCALE} (another YuNet
 * export, e.g. yunet_s) or {@code blazeface:SEARCH} (BlazeFace from {@code .cache/models}).
 */
public final class FaceSearchBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private FaceSearchBench() {}

  public static void main(String[] args) throws Exception {
    List<GroundTruth.Image> set = GroundTruth.read(new File(args[0]));
    double[] thresholds =
        args.length > 2
            ? Arrays.stream(args[2].split(",")).mapToDouble(Double::parseDouble).toArray()
            : new double[] {0.5};
    float lowest = (float) Arrays.stream(thresholds).min().orElse(0.5);
    List<Mat> images = new ArrayList<>();
    for (GroundTruth.Image i : set) {
      images.add(imread(i.file().getPath()));
    }
    System.out.println(
        "| setting | min score | recall >= 20 px | recall all | found by shorter side "
            + "(<20, 20-30, 30-50, 50-100, >=100) | strays/img | CPU ms per image | per 1080p | per 720p |");
    for (String setting : args[1].split(",")) {
      try (Detector detector = create(setting, lowest)) {
        List<List<Detection>> found = new ArrayList<>();
        double[] cpu = new double[3];
        int[] count = new int[3];
        for (Mat image : images) {
          detector.detect(image); // a new size's session is made here, not timed
          long t0 = THREADS.getCurrentThreadCpuTime();
          found.add(detector.detect(image));
          double ms = (THREADS.getCurrentThreadCpuTime() - t0) / 1e6;
          int size = image.cols() == 1920 ? 1 : image.cols() == 1280 ? 2 : 0;
          cpu[0] += ms;
          count[0]++;
          if (size > 0) {
            cpu[size] += ms;
            count[size]++;
          }
        }
        for (double threshold : thresholds) {
          DetectionScore score = DetectionScore.forLabel(Detection.FACE);
          for (int i = 0; i < set.size(); i++) {
            score.add(
                set.get(i).faces(),
                set.get(i).ignore(),
                null,
                found.get(i).stream().filter(d -> d.score() >= threshold).toList());
          }
          String bySize =
              score
                  .report()
                  .lines()
                  .skip(1)
                  .findFirst()
                  .orElse("")
                  .replace("by shorter side:", "")
                  .replaceAll("\\s+", " ")
                  .trim()
                  .replaceAll("(< 20|20-30|30-50|50-100|>= 100) px ", "");
          System.out.printf(
              Locale.ROOT,
              "| %s | %.2f | %.3f | %.3f | %s | %.2f | %.0f | %.0f | %.0f |%n",
              setting,
              threshold,
              score.recall(),
              score.recallAllSizes(),
              bySize,
              score.straysPerImage(),
              cpu[0] / Math.max(1, count[0]),
              cpu[1] / Math.max(1, count[1]),
              cpu[2] / Math.max(1, count[2]));
        }
      }
    }
  }

  private static Detector create(String setting, float minScore) throws Exception {
    if (setting.startsWith("blazeface:")) {
      return new BlazeFaceDetector(
          new File(".cache/models/blazeface/face_detection_back_256x256_barracuda.onnx"),
          minScore,
          FaceSearch.valueOf(setting.substring("blazeface:".length())));
    }
    String[] modelScale = setting.split("@");
    double scale = Double.parseDouble(modelScale[1]);
    return modelScale[0].equals("yunet")
        ? YuNetDetector.shipped(minScore, scale, Integer.MAX_VALUE)
        : new YuNetDetector(
            Files.readAllBytes(Path.of(modelScale[0])), minScore, scale, Integer.MAX_VALUE);
  }
}
