package org.mosaicbeam.model;

import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds faces and/or licence plates in one image. Implementations: the offline local models and
 * Amazon Rekognition. Not required to be thread-safe; a DoFn holds one per instance.
 *
 * <p>Privacy fails closed: an implementation throws when it could not look at the image (model
 * error, exhausted retries); it never returns an empty list for an image it did not examine.
 */
public interface Detector extends AutoCloseable {

  /**
   * @param bgr an 8-bit 3-channel BGR image (what JavaCV decodes to)
   * @return the detections, in pixel coordinates of {@code bgr}, already clamped to the image
   */
  List<Detection> detect(Mat bgr) throws Exception;

  /**
   * CPU time this detector's thread has spent so far, by what it looks for ("faces", "plates", or a
   * backend's name), for the summaries; empty when not measured.
   */
  default Map<String, Long> cpuNanosByPart() {
    return Map.of();
  }

  @Override
  default void close() throws Exception {}
}
