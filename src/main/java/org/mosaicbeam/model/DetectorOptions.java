package org.mosaicbeam.model;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.model.rekognition.RekognitionOptions;

/**
 * Detector choice and thresholds, shared by {@code anonymize} and {@code detect}. A backend reads
 * what it needs from here (a new backend adds its own options by extending this interface).
 */
public interface DetectorOptions extends RekognitionOptions {
  @Description("Detector backend: local (offline models, default) or rekognition (Amazon "
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

  @Description("Minimum face score in [0,1].")
  @Default.Float(0.5f)
  float getFaceMinConfidence();

  void setFaceMinConfidence(float value);

  @Description("Minimum plate score in [0,1]. Default: 0.1 for --plateModel=text (its verifier's "
      + "score; chosen by cross-validation, see models/plate-verifier.md), 0.3 for the others "
      + "and Rekognition.")
  Float getPlateMinConfidence();

  void setPlateMinConfidence(Float value);

  /** {@code --plateMinConfidence}, or {@code fallback} (the backend's default) when not given. */
  static float plateMinConfidence(DetectorOptions o, float fallback) {
    return o.getPlateMinConfidence() == null ? fallback : o.getPlateMinConfidence();
  }

  @Description("Face model: 'blazeface' (default, fetched by scripts/fetch-models), 'none', or a "
      + "YOLO-style .onnx file (see README).")
  @Default.String("blazeface")
  String getFaceModel();

  void setFaceModel(String value);

  @Description("How --faceModel=blazeface looks at a frame: COARSE_SCALE_67 (default: the whole "
      + "frame at 256x256 for large faces plus the whole frame at 2/3 scale for faces down to ~15 "
      + "px), COARSE, TILES (COARSE plus a 2-row grid of 256x256 tiles: the default before), FULL, "
      + "SCALE_75/67/50, COARSE_FULL, COARSE_SCALE_75/50. Measured trade-offs: see FaceSearch.")
  @Default.Enum("COARSE_SCALE_67")
  FaceSearch getFaceSearch();

  void setFaceSearch(FaceSearch value);

  @Description("Plate model: 'text' (default: PP-OCR text detector + the project's trained plate "
      + "verifier), 'haar' (OpenCV's Russian-plate cascade, the former default), 'none', or a "
      + "YOLO-style .onnx file.")
  @Default.String("text")
  String getPlateModel();

  void setPlateModel(String value);

  @Description("--plateModel=text: the frame's longer side is searched at this many pixels "
      + "(rounded to a multiple of 32). Smaller is faster and misses small plates: see README.")
  @Default.Integer(1280)
  int getPlateSearchSide();

  void setPlateSearchSide(int value);

  @Description("Directory holding the fetched models (default: .cache/models under the project).")
  String getModelDir();

  void setModelDir(String value);
}
