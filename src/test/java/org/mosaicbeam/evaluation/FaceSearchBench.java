package org.mosaicbeam.evaluation;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.model.BlazeFaceDetector;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.FaceSearch;

/**
 * Not a test: the measurement behind the default {@code --faceSearch}. For each search, runs
 * BlazeFace once over a face set (made by {@code make-face-set}) and scores it with {@link
 * DetectionScore} (as {@code detect --groundTruth} does) at several score thresholds; a threshold
 * applied after non-maximum suppression gives the same boxes as one applied before, since a box is
 * only ever suppressed by a higher-scoring one. CPU is the detecting thread's time per image (ONNX
 * Runtime on that thread: one intra-op thread), after two warm-up images of each size. Usage
 * (classpath through CLASSPATH, see scripts/mosaicbeam): {@code java
 * org.mosaicbeam.evaluation.FaceSearchBench LABELS.jsonl MODEL.onnx [SEARCH,...] [THRESHOLD,...]}
 */
public final class FaceSearchBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private FaceSearchBench() {}

  public static void main(String[] args) throws Exception {
    List<GroundTruth.Image> set = GroundTruth.read(new File(args[0]));
    File model = new File(args[1]);
    List<FaceSearch> searches = new ArrayList<>();
    if (args.length > 2 && !args[2].isEmpty()) {
      for (String s : args[2].split(",")) {
        searches.add(FaceSearch.valueOf(s));
      }
    } else {
      searches.addAll(List.of(FaceSearch.values()));
    }
    double[] thresholds =
        args.length > 3
            ? java.util.Arrays.stream(args[3].split(",")).mapToDouble(Double::parseDouble).toArray()
            : new double[] {0.5};
    List<Mat> images = new ArrayList<>();
    for (GroundTruth.Image i : set) {
      images.add(imread(i.file().getPath()));
    }
    System.out.println(
        "| setting | min score | recall >= 20 px | recall all | found by width "
            + "(<20, 20-30, 30-50, 50-100, >=100) | strays/img | CPU ms per 1080p frame | per 720p |");
    for (FaceSearch search : searches) {
      float lowest = (float) java.util.Arrays.stream(thresholds).min().orElse(0.5);
      try (BlazeFaceDetector detector = new BlazeFaceDetector(model, lowest, search)) {
        warmUp(detector, images);
        List<List<Detection>> found = new ArrayList<>();
        double[] cpu = new double[2];
        int[] count = new int[2];
        for (Mat image : images) {
          long t0 = THREADS.getCurrentThreadCpuTime();
          found.add(detector.detect(image));
          long t = THREADS.getCurrentThreadCpuTime() - t0;
          int size = image.cols() == 1920 ? 0 : image.cols() == 1280 ? 1 : -1;
          if (size >= 0) {
            cpu[size] += t / 1e6;
            count[size]++;
          }
        }
        for (double threshold : thresholds) {
          DetectionScore score = DetectionScore.forLabel(Detection.FACE);
          for (int i = 0; i < set.size(); i++) {
            score.add(
                set.get(i).faces(),
                found.get(i).stream().filter(d -> d.score() >= threshold).toList());
          }
          String byWidth =
              score
                  .report()
                  .lines()
                  .skip(1)
                  .findFirst()
                  .orElse("")
                  .replace("by width:", "")
                  .replaceAll("\\s+", " ")
                  .trim()
                  .replaceAll("(< 20|20-30|30-50|50-100|>= 100) px ", "");
          System.out.printf(
              Locale.ROOT,
              "| %s | %.2f | %.3f | %.3f | %s | %.2f | %.0f | %.0f |%n",
              search,
              threshold,
              score.recall(),
              score.recallAllSizes(),
              byWidth,
              score.straysPerImage(),
              cpu[0] / Math.max(1, count[0]),
              cpu[1] / Math.max(1, count[1]));
        }
      }
    }
  }

  /** Two images of each size first: ONNX Runtime allocates per new input shape. */
  private static void warmUp(BlazeFaceDetector detector, List<Mat> images) throws Exception {
    java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
    for (Mat image : images) {
      if (seen.merge(image.cols(), 1, Integer::sum) <= 2) {
        detector.detect(image);
      }
    }
  }
}
