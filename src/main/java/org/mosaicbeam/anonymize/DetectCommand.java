package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LANCZOS4;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.evaluation.DetectionScore;
import org.mosaicbeam.evaluation.GroundTruth;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.OutputCheck;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.model.rekognition.RekognitionStats;

/**
 * {@code mosaicbeam detect}: runs a detector on still images and writes one JSON line per image
 * ({@code file, width, height, boxes[label, score, x, y, w, h]}) to {@code
 * OUTPUT/detections.jsonl}; with {@code --draw}, labelled copies too. Unreadable images are
 * reported on their line ({@code error}) and counted. With {@code --groundTruth=FILE.jsonl} it
 * measures the detector on annotated images instead: recall, stray boxes per image, recall by size,
 * CPU per image.
 */
public final class DetectCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DetectCommand() {}

  public static void main(String[] args) throws Exception {
    DetectOptions options = Cli.parse(args, DetectOptions.class);
    if (options != null) {
      run(options);
    }
  }

  /** Returns the JSON lines written (or, with --groundTruth, that would be written). */
  public static List<String> run(DetectOptions options) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    List<GroundTruth.Image> truth =
        options.getGroundTruth() == null
            ? null
            : GroundTruth.read(new File(options.getGroundTruth()));
    List<String> images = new ArrayList<>();
    if (truth != null && options.getInput() == null) {
      truth.forEach(t -> images.add(t.file().getPath()));
    } else if (truth != null) {
      throw new UserError("--input and --groundTruth: give one (--groundTruth lists its images)");
    } else {
      images.addAll(Inputs.list(options.getInput(), Inputs.IMAGE_EXTENSIONS));
    }
    String outDir =
        options.getOutput() == null
            ? null
            : options.getOutput().endsWith("/") ? options.getOutput() : options.getOutput() + "/";
    if (outDir == null && (truth == null || options.getDraw())) {
      throw new UserError("--output is required" + (truth == null ? "" : " with --draw"));
    }
    if (outDir != null) {
      OutputCheck.folder(outDir, "--output");
    }
    UserModels.check(options);
    Map<String, DetectionScore> scores = new TreeMap<>();
    List<String> lines = new ArrayList<>();
    int failed = 0;
    int boxes = 0;
    long cpuNanos = 0;
    boolean rekognition = Detectors.choice(options).uses("rekognition");
    RekognitionStats.Snapshot before = RekognitionStats.snapshot();
    Progress progress = new Progress("detect: images", images.size());
    StringBuilder perPart = new StringBuilder();
    try (Detector detector = Detectors.create(options)) {
      for (int i = 0; i < images.size(); i++) {
        String image = images.get(i);
        ObjectNode line = JSON.createObjectNode().put("file", image);
        Mat bgr = scaled(read(image), options.getImageScale());
        if (bgr == null || bgr.empty()) {
          line.put("error", "not a readable image");
          System.err.println("detect: " + image + ": not a readable image");
          failed++;
        } else {
          long cpu0 = THREADS.getCurrentThreadCpuTime();
          List<Detection> found = detector.detect(bgr);
          cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
          boxes += found.size();
          line.put("width", bgr.cols()).put("height", bgr.rows());
          ArrayNode arr = line.putArray("boxes");
          for (Detection d : found) {
            arr.add(JSON.valueToTree(d));
          }
          if (truth != null) {
            score(scaled(truth.get(i), options.getImageScale()), found, scores);
          }
          if (options.getDraw()) {
            draw(bgr, found, outDir + Inputs.stem(image) + ".detections.jpg");
          }
          bgr.close();
        }
        lines.add(JSON.writeValueAsString(line));
        progress.add(1);
      }
      int n = Math.max(1, images.size() - failed);
      detector
          .cpuNanosByPart()
          .forEach(
              (part, nanos) ->
                  perPart.append(
                      String.format(
                          Locale.ROOT,
                          "%s%s %.1f",
                          perPart.length() == 0 ? " (" : ", ",
                          part,
                          nanos / 1e6 / n)));
      if (perPart.length() > 0) {
        perPart.append(")");
      }
    }
    if (outDir != null) {
      AtomicOutput.write(
          outDir + "detections.jsonl",
          "application/jsonl",
          out -> {
            for (String l : lines) {
              out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
          });
    }
    int examined = images.size() - failed;
    System.err.printf(
        Locale.ROOT,
        "detect: %d images, %d boxes, %d unreadable, %.1f ms CPU per image%s%s%n",
        images.size(),
        boxes,
        failed,
        examined == 0 ? 0 : cpuNanos / 1e6 / examined,
        perPart,
        outDir == null ? "" : " -> " + outDir + "detections.jsonl");
    for (DetectionScore s : scores.values()) {
      System.out.print(s.report());
    }
    if (rekognition) {
      System.err.println(
          "detect: "
              + RekognitionStats.snapshot().minus(before).summary(options.getPricePerImage()));
    }
    if (failed == images.size()) {
      throw new UserError(
          "no readable image in "
              + (truth == null
                  ? "--input=" + options.getInput()
                  : "--groundTruth=" + options.getGroundTruth()));
    }
    return lines;
  }

  /** Adds one image to the score of each class annotated in it. */
  private static void score(
      GroundTruth.Image truth, List<Detection> found, Map<String, DetectionScore> scores) {
    for (String label : List.of(Detection.PLATE, Detection.FACE)) {
      if (truth.truth(label) != null) {
        scores
            .computeIfAbsent(label, DetectionScore::forLabel)
            .add(truth.truth(label), truth.ignore(), truth.region(), found);
      }
    }
  }

  /**
   * The image resized by {@code factor} (Lanczos), to measure a detector on larger frames than the
   * set has: plates-dev's 720p frames at 1.5 are 1080p frames, as a 1080p video's are.
   */
  private static Mat scaled(Mat bgr, double factor) {
    if (factor == 1 || bgr == null || bgr.empty()) {
      return bgr;
    }
    Mat out = new Mat();
    resize(bgr, out, new Size(), factor, factor, INTER_LANCZOS4);
    bgr.close();
    return out;
  }

  /** The annotations of an image resized by {@code factor}. */
  private static GroundTruth.Image scaled(GroundTruth.Image truth, double factor) {
    if (factor == 1) {
      return truth;
    }
    return new GroundTruth.Image(
        truth.file(),
        scaled(truth.plates(), factor),
        scaled(truth.faces(), factor),
        scaled(truth.ignore(), factor),
        truth.region());
  }

  private static List<Detection> scaled(List<Detection> boxes, double factor) {
    if (boxes == null) {
      return null;
    }
    List<Detection> out = new ArrayList<>();
    for (Detection d : boxes) {
      int x0 = (int) Math.round(d.x() * factor);
      int y0 = (int) Math.round(d.y() * factor);
      int x1 = (int) Math.round((d.x() + d.width()) * factor);
      int y1 = (int) Math.round((d.y() + d.height()) * factor);
      out.add(new Detection(d.label(), d.score(), x0, y0, x1 - x0, y1 - y0));
    }
    return out;
  }

  private static void draw(Mat bgr, List<Detection> found, String path) throws Exception {
    Masks.draw(bgr, found);
    try (BytePointer jpg = new BytePointer()) {
      imencode(".jpg", bgr, jpg);
      byte[] bytes = new byte[(int) jpg.limit()];
      jpg.get(bytes);
      AtomicOutput.write(path, "image/jpeg", out -> out.write(bytes));
    }
  }

  private static Mat read(String path) throws java.io.IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      in.transferTo(buf);
    }
    byte[] bytes = buf.toByteArray();
    if (bytes.length == 0) {
      return null;
    }
    try (Mat raw = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8U)) {
      raw.data().put(bytes);
      return imdecode(raw, IMREAD_COLOR);
    }
  }
}
