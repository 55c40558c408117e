package org.mosaicbeam.model.rekognition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.CustomLabel;
import software.amazon.awssdk.services.rekognition.model.DetectCustomLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.DetectFacesResponse;
import software.amazon.awssdk.services.rekognition.model.FaceDetail;
import software.amazon.awssdk.services.rekognition.model.Image;

/**
 * Faces through Rekognition DetectFaces and licence plates through a Custom Labels model
 * (DetectCustomLabels). Frames go as JPEG bytes (never stored) unless {@code --stageFramesTo} asks
 * for S3 staging.
 *
 * <p>Calls pass a per-JVM gate (concurrency and rate limits) and the SDK retry policy; when a call
 * still fails, {@link #detect} throws, so the pipeline masks the frame whole or stops — a frame is
 * never reported as examined when it was not.
 */
public final class RekognitionDetector implements Detector {
  private final RekognitionSettings settings;
  private final CallGate gate;

  public RekognitionDetector(RekognitionSettings settings) {
    this.settings = settings;
    this.gate = CallGate.forKey(settings.gateKey());
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    JpegFrame frame = JpegFrame.encode(bgr, settings.maxImageSide(), settings.jpegQuality());
    int width = bgr.cols();
    int height = bgr.rows();
    Staged staged = stage(frame);
    try {
      List<Detection> out = new ArrayList<>();
      if (settings.faces()) {
        DetectFacesResponse response =
            call(true, client -> client.detectFaces(r -> r.image(staged.image)));
        for (FaceDetail face : response.faceDetails()) {
          float score = face.confidence() == null ? 0f : face.confidence() / 100f;
          if (score >= settings.faceMinConfidence()) {
            out.add(toPixels(Detection.FACE, score, face.boundingBox(), width, height));
          }
        }
      }
      if (settings.plates()) {
        DetectCustomLabelsResponse response =
            call(
                false,
                client ->
                    client.detectCustomLabels(
                        r ->
                            r.projectVersionArn(settings.projectVersionArn())
                                .image(staged.image)
                                .minConfidence(settings.plateMinConfidence() * 100f)));
        for (CustomLabel label : response.customLabels()) {
          float score = label.confidence() == null ? 0f : label.confidence() / 100f;
          boolean isPlate = settings.plateLabels().contains(label.name());
          // A label without geometry is an image-level (classification) answer: no box to mask.
          if (isPlate
              && score >= settings.plateMinConfidence()
              && label.geometry() != null
              && label.geometry().boundingBox() != null) {
            out.add(
                toPixels(Detection.PLATE, score, label.geometry().boundingBox(), width, height));
          }
        }
      }
      return out;
    } finally {
      staged.delete();
    }
  }

  private <T> T call(boolean faces, CallGate.Call<T> call) throws InterruptedException {
    RekognitionStats.call(faces);
    try {
      T result = gate.call(call);
      RekognitionStats.succeeded(faces);
      return result;
    } catch (SdkException e) {
      RekognitionStats.failed();
      throw e; // fail closed: the caller masks or stops
    }
  }

  /**
   * Rekognition boxes are fractions of the image and may stick out of it; the pixel box is rounded
   * outwards (a mask may grow, never shrink) and clamped to the frame.
   */
  static Detection toPixels(String label, float score, BoundingBox box, int width, int height) {
    double left = value(box.left());
    double top = value(box.top());
    // EPS absorbs the float noise of the JSON fractions (0.9f * 360 = 323.99997).
    int x0 = clamp((int) Math.floor(left * width + EPS), width);
    int y0 = clamp((int) Math.floor(top * height + EPS), height);
    int x1 = clamp((int) Math.ceil((left + value(box.width())) * width - EPS), width);
    int y1 = clamp((int) Math.ceil((top + value(box.height())) * height - EPS), height);
    return new Detection(label, score, x0, y0, x1 - x0, y1 - y0);
  }

  private static final double EPS = 1e-3;

  private static double value(Float f) {
    return f == null ? 0 : f;
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(v, max));
  }

  /** The frame as Rekognition receives it: bytes, or an S3 object that is deleted afterwards. */
  private static final class Staged {
    final Image image;
    final ResourceId object;

    Staged(Image image, ResourceId object) {
      this.image = image;
      this.object = object;
    }

    void delete() throws IOException {
      if (object != null) {
        FileSystems.delete(List.of(object), StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }
  }

  private Staged stage(JpegFrame frame) throws IOException {
    String prefix = settings.stageFramesTo();
    if (prefix == null || prefix.isBlank()) {
      return new Staged(Image.builder().bytes(SdkBytes.fromByteArray(frame.bytes())).build(), null);
    }
    String path = (prefix.endsWith("/") ? prefix : prefix + "/") + UUID.randomUUID() + ".jpg";
    ResourceId object = FileSystems.matchNewResource(path, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(object, "image/jpeg"))) {
      out.write(frame.bytes());
    }
    String withoutScheme = path.substring("s3://".length());
    int slash = withoutScheme.indexOf('/');
    String bucket = withoutScheme.substring(0, slash);
    String key = withoutScheme.substring(slash + 1);
    return new Staged(Image.builder().s3Object(s -> s.bucket(bucket).name(key)).build(), object);
  }
}
