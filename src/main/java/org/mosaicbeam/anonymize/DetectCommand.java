package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.cli.Cli;
import org.mosaicbeam.cli.UserError;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.model.Detectors;
import org.mosaicbeam.model.rekognition.RekognitionStats;

/**
 * {@code mosaicbeam detect}: runs a detector on still images and writes one JSON line per image
 * ({@code file, width, height, boxes[label, score, x, y, w, h]}) to {@code OUTPUT/detections.jsonl};
 * with {@code --draw}, labelled copies too. This is how detection quality is inspected and
 * measured. Unreadable images are reported on their line ({@code error}) and counted.
 */
public final class DetectCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DetectCommand() {}

  public static void main(String[] args) throws Exception {
    DetectOptions options = Cli.parse(args, DetectOptions.class);
    if (options != null) {
      run(options);
    }
  }

  /** Returns the JSON lines written. */
  public static List<String> run(DetectOptions options) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    List<String> images = Inputs.list(options.getInput(), Inputs.IMAGE_EXTENSIONS);
    String outDir = options.getOutput().endsWith("/") ? options.getOutput()
        : options.getOutput() + "/";
    if (LocalFiles.isLocal(outDir)) {
      new java.io.File(outDir).mkdirs();
    }
    List<String> lines = new ArrayList<>();
    int failed = 0;
    int boxes = 0;
    boolean rekognition = Detectors.choice(options).uses("rekognition");
    RekognitionStats.Snapshot before = RekognitionStats.snapshot();
    Progress progress = new Progress("detect: images", images.size());
    try (Detector detector = Detectors.create(options)) {
      for (String image : images) {
        ObjectNode line = JSON.createObjectNode().put("file", image);
        Mat bgr = read(image);
        if (bgr == null || bgr.empty()) {
          line.put("error", "not a readable image");
          System.err.println("detect: " + image + ": not a readable image");
          failed++;
        } else {
          List<Detection> found = detector.detect(bgr);
          boxes += found.size();
          line.put("width", bgr.cols()).put("height", bgr.rows());
          ArrayNode arr = line.putArray("boxes");
          for (Detection d : found) {
            arr.add(JSON.valueToTree(d));
          }
          if (options.getDraw()) {
            Masks.draw(bgr, found);
            String name = Inputs.stem(image) + ".detections.jpg";
            try (BytePointer jpg = new BytePointer()) {
              imencode(".jpg", bgr, jpg);
              byte[] bytes = new byte[(int) jpg.limit()];
              jpg.get(bytes);
              AtomicOutput.write(outDir + name, "image/jpeg", out -> out.write(bytes));
            }
          }
          bgr.close();
        }
        lines.add(JSON.writeValueAsString(line));
        progress.add(1);
      }
    }
    AtomicOutput.write(outDir + "detections.jsonl", "application/jsonl", out -> {
      for (String l : lines) {
        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    System.err.printf("detect: %d images, %d boxes, %d unreadable -> %sdetections.jsonl%n",
        images.size(), boxes, failed, outDir);
    if (rekognition) {
      System.err.println("detect: " + RekognitionStats.snapshot().minus(before)
          .summary(options.getPricePerImage()));
    }
    if (failed == images.size()) {
      throw new UserError("no readable image in --input=" + options.getInput());
    }
    return lines;
  }

  private static Mat read(String path) throws java.io.IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (InputStream in = Channels.newInputStream(
        FileSystems.open(FileSystems.matchNewResource(path, false)))) {
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
