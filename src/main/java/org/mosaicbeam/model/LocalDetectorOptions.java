package org.mosaicbeam.model;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The offline models ({@code --detector=local}) and the score thresholds. The thresholds are here,
 * not with the choice of backend, because the local models read them; the Rekognition backend gets
 * them passed in ({@code RekognitionSettings}).
 */
public interface LocalDetectorOptions extends PipelineOptions {
  @Description("Minimum face score in [0,1].")
  @Default.Float(0.5f)
  float getFaceMinConfidence();

  void setFaceMinConfidence(float value);

  @Description(
      "Minimum plate score in [0,1]. Default: 0.1 for --plateModel=text (its verifier's "
          + "score; chosen by cross-validation, see models/plate-verifier.md), 0.3 for the others "
          + "and Rekognition.")
  Float getPlateMinConfidence();

  void setPlateMinConfidence(Float value);

  /** {@code --plateMinConfidence}, or {@code fallback} (the backend's default) when not given. */
  static float plateMinConfidence(LocalDetectorOptions o, float fallback) {
    return o.getPlateMinConfidence() == null ? fallback : o.getPlateMinConfidence();
  }

  @Description(
      "Face model: 'blazeface' (default, fetched by scripts/fetch-models), 'none', or a "
          + "YOLO-style .onnx file (see README).")
  @Default.String("blazeface")
  String getFaceModel();

  void setFaceModel(String value);

  @Description(
      "How --faceModel=blazeface looks at a frame: COARSE_SCALE_67 (default: the whole "
          + "frame at 256x256 for large faces plus the whole frame at 2/3 scale for faces down to ~15 "
          + "px), COARSE, TILES (COARSE plus a 2-row grid of 256x256 tiles: the default before), FULL, "
          + "SCALE_75/67/50, COARSE_FULL, COARSE_SCALE_75/50. Measured trade-offs: see FaceSearch.")
  @Default.Enum("COARSE_SCALE_67")
  FaceSearch getFaceSearch();

  void setFaceSearch(FaceSearch value);

  @Description(
      "Plate model: 'text' (default: PP-OCR text detector + the project's trained plate "
          + "verifier), 'haar' (OpenCV's Russian-plate cascade, the former default), 'none', or a "
          + "YOLO-style .onnx file.")
  @Default.String("text")
  String getPlateModel();

  void setPlateModel(String value);

  @Description(
      "--plateModel=text: the frame's longer side is searched at this many pixels "
          + "(rounded to a multiple of 32). Smaller is faster and misses small plates: see README.")
  @Default.Integer(1280)
  int getPlateSearchSide();

  void setPlateSearchSide(int value);

  @Description("Directory holding the fetched models (default: .cache/models under the project).")
  String getModelDir();

  void setModelDir(String value);
}
