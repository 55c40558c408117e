package org.mosaicbeam.detection;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.model.LocalDetectorOptions;
import org.mosaicbeam.model.rekognition.RekognitionOptions;

/**
 * Detector choice, shared by {@code anonymize} and {@code detect}; each backend's own settings (and
 * the thresholds, in {@link LocalDetectorOptions}) come from the interfaces this extends (a new
 * backend adds its options interface here).
 */
public interface DetectorOptions extends LocalDetectorOptions, RekognitionOptions {
  @Description(
      "Detector backend: local (offline models, default) or rekognition (Amazon "
          + "Rekognition: DetectFaces + a Custom Labels plate model). See Detectors.")
  @Default.String("local")
  String getDetector();

  void setDetector(String value);

  @Description("Backend for faces only: local, rekognition or none (default: --detector)")
  String getFaceDetector();

  void setFaceDetector(String value);

  @Description("Backend for plates only: local, rekognition or none (default: --detector)")
  String getPlateDetector();

  void setPlateDetector(String value);
}
