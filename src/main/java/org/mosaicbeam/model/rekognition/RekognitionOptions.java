package org.mosaicbeam.model.rekognition;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the Rekognition detector backend ({@code --detector=rekognition}, or {@code
 * --faceDetector=rekognition} / {@code --plateDetector=rekognition}). The confidence thresholds
 * ({@code --faceMinConfidence}, {@code --plateMinConfidence}) are the pipeline's own and are passed
 * in through {@link RekognitionSettings}.
 */
public interface RekognitionOptions extends RekognitionClientOptions {
  @Description(
      "ARN of the running Rekognition Custom Labels model version that detects plates "
          + "(required when plates are detected by Rekognition)")
  String getProjectVersionArn();

  void setProjectVersionArn(String value);

  @Description("Comma-separated Custom Labels label names that count as a licence plate")
  @Default.String("vehicle_registration_plate")
  String getPlateLabels();

  void setPlateLabels(String value);

  @Description(
      "Most Rekognition calls in flight at once per worker JVM (accounts hit LimitExceededException "
          + "above ~4 parallel calls)")
  @Default.Integer(4)
  int getMaxConcurrentCalls();

  void setMaxConcurrentCalls(int value);

  @Description(
      "Most Rekognition HTTP requests per second per worker JVM, retries included; 0 = no limit")
  @Default.Double(0)
  double getMaxCallsPerSecond();

  void setMaxCallsPerSecond(double value);

  @Description(
      "USD per DetectFaces image for the cost estimate; default: the public price of the first "
          + "1 M images a month")
  @Default.Double(0.001)
  double getPricePerImage();

  void setPricePerImage(double value);

  @Description(
      "s3://bucket/prefix/ to stage frames in S3 and call Rekognition with S3 references "
          + "(deleted after each call); default: frames are sent as bytes and never stored")
  String getStageFramesTo();

  void setStageFramesTo(String value);

  @Description(
      "Frames whose long side is larger are downscaled before upload (boxes are mapped back)")
  @Default.Integer(1920)
  int getRekognitionMaxImageSide();

  void setRekognitionMaxImageSide(int value);

  @Description("JPEG quality of uploaded frames")
  @Default.Integer(90)
  int getRekognitionJpegQuality();

  void setRekognitionJpegQuality(int value);
}
