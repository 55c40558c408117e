package org.mosaicbeam.anonymize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.video.Ff;
import org.mosaicbeam.video.VideoException;

/**
 * Privacy QA of a written video: runs a detector on its frames and reports what it still finds (one
 * JSON line per finding: video, frame, time, label, score, box) with a summary.
 */
public final class VideoVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The score from which a detection is a finding, unless the user says otherwise. */
  public static final double MIN_CONFIDENCE = 0.5;

  /**
   * What {@code verify} saw in one video.
   *
   * @param framesWithFinding frames with at least one finding at or above the confidence asked
   * @param longestRun the longest run of checked frames in a row with a finding
   */
  public record Report(
      String video, long framesChecked, long framesWithFinding, long findings, long longestRun)
      implements Serializable {}

  private VideoVerifier() {}

  /**
   * Checks every {@code every}-th frame of the video at {@code path} (local or s3://), reported as
   * {@code video}; each detection scoring at least {@code minConfidence} goes to {@code findings}
   * as a JSON line.
   */
  static Report verify(
      String video,
      String path,
      Detector detector,
      int every,
      double minConfidence,
      Consumer<String> findings)
      throws Exception {
    long checked = 0;
    long withFinding = 0;
    long found = 0;
    long run = 0;
    long longest = 0;
    Ff.init();
    try (LocalFiles.Localized local = LocalFiles.localized(path);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(local.path().toFile());
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      try {
        g.start();
      } catch (Exception e) {
        throw new VideoException(video + ": cannot decode (" + e.getMessage() + ")", e);
      }
      Progress progress = new Progress("verify: frames", Math.max(0, g.getLengthInVideoFrames()));
      long index = 0;
      for (Frame f = g.grabImage(); f != null; f = g.grabImage(), index++) {
        progress.add(1);
        if (index % every != 0) {
          continue;
        }
        Mat bgr = conv.convert(f);
        List<Detection> boxes =
            detector.detect(bgr).stream().filter(d -> d.score() >= minConfidence).toList();
        checked++;
        for (Detection d : boxes) {
          ObjectNode line =
              JSON.createObjectNode()
                  .put("video", video)
                  .put("frame", index)
                  .put("time", f.timestamp / 1e6)
                  .put("label", d.label())
                  .put("score", d.score());
          line.putArray("box").add(d.x()).add(d.y()).add(d.width()).add(d.height());
          findings.accept(JSON.writeValueAsString(line));
        }
        found += boxes.size();
        withFinding += boxes.isEmpty() ? 0 : 1;
        run = boxes.isEmpty() ? 0 : run + 1;
        longest = Math.max(longest, run);
      }
      g.stop();
    }
    return new Report(video, checked, withFinding, found, longest);
  }
}
