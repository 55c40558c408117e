package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;

/** The demo's clip shows a face the detector finds (a first demo once showed no face at all). */
class SampleVideoTest {

  @Test
  void theDemoClipHoldsAFaceTheDetectorFinds(@TempDir Path dir) throws Exception {
    File face = new File(SampleVideo.FACE_PHOTO);
    assertTrue(face.isFile(), face + " missing: scripts/setup installs Debian's opencv-doc");
    File clip = dir.resolve("dashcam.mp4").toFile();
    SampleVideo.write(clip, 1, face);
    DetectorOptions options =
        PipelineOptionsFactory.fromArgs("--plateModel=none").as(DetectorOptions.class);
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip);
        OpenCVFrameConverter.ToMat toMat = new OpenCVFrameConverter.ToMat();
        Detector faces = Detectors.create(options)) {
      grabber.start();
      Frame frame = grabber.grabImage();
      for (int i = 0; i < 10; i++) { // a frame from the middle of the first second
        frame = grabber.grabImage();
      }
      Mat bgr = toMat.convert(frame);
      List<Detection> found = faces.detect(bgr);
      // the photo is pasted at (20, 20), 330x206: its face lies inside that rectangle
      assertTrue(
          found.stream()
              .anyMatch(
                  d ->
                      d.x() >= 20
                          && d.y() >= 20
                          && d.x() + d.width() <= 350
                          && d.y() + d.height() <= 226),
          "no face found in the demo clip: " + found);
      grabber.stop();
    }
  }
}
