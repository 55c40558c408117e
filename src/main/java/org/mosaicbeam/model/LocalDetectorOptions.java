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
  @Description(
      "Minimum face score in [0,1]. Default: 0.6 for --faceModel=yunet (chosen on faces-dev, "
          + "see README), 0.5 for blazeface, YOLO files and Rekognition.")
  Float getFaceMinConfidence();

  void setFaceMinConfidence(Float value);

  /** {@code --faceMinConfidence}, or {@code fallback} (the backend's default) when not given. */
  static float faceMinConfidence(LocalDetectorOptions o, float fallback) {
    return o.getFaceMinConfidence() == null ? fallback : o.getFaceMinConfidence();
  }

  @Description(
      "Minimum plate score in [0,1]. Default: 0.2 for --plateModel=net|text (its verifier's "
          + "score; see models/plate-verifier.md and README \"Detection quality\"), 0.3 for the "
          + "others and Rekognition.")
  Float getPlateMinConfidence();

  void setPlateMinConfidence(Float value);

  /** {@code --plateMinConfidence}, or {@code fallback} (the backend's default) when not given. */
  static float plateMinConfidence(LocalDetectorOptions o, float fallback) {
    return o.getPlateMinConfidence() == null ? fallback : o.getPlateMinConfidence();
  }

  @Description(
      "Face model: 'yunet' (default: YuNet, shipped in models/), 'blazeface' (MediaPipe, "
          + "fetched by scripts/fetch-models), 'none', or a YOLO-style .onnx file (see README).")
  @Default.String("yunet")
  String getFaceModel();

  void setFaceModel(String value);

  @Description(
      "--faceModel=yunet: the frame is searched at this scale of its size; YuNet finds faces "
          + "down to about 10 px of what it sees, so about 10/scale px of the frame. Measured "
          + "trade-offs: see README.")
  @Default.Double(0.75)
  double getFaceScale();

  void setFaceScale(double value);

  @Description(
      "--faceModel=yunet: but the searched frame's longer side is at most this many pixels "
          + "(a 4K frame at --faceScale would cost 4x a 1080p one; its faces are twice as large).")
  @Default.Integer(1440)
  int getFaceSearchSide();

  void setFaceSearchSide(int value);

  @Description(
      "How --faceModel=blazeface looks at a frame: COARSE_SCALE_67 (default: the whole "
          + "frame at 256x256 for large faces plus the whole frame at 2/3 scale for faces down to ~15 "
          + "px), COARSE, TILES (COARSE plus a 2-row grid of 256x256 tiles: the default before), FULL, "
          + "SCALE_75/67/50, COARSE_FULL, COARSE_SCALE_75/50. Measured trade-offs: see FaceSearch.")
  @Default.Enum("COARSE_SCALE_67")
  FaceSearch getFaceSearch();

  void setFaceSearch(FaceSearch value);

  @Description(
      "Plate model: 'net' (default: the project's plate finder network + its plate "
          + "verifier, both trained by train-plates), 'text' (the PP-OCR text detector in place "
          + "of the network: the default before), 'haar' (OpenCV's Russian-plate cascade), "
          + "'none', or a YOLO-style .onnx file.")
  @Default.String("net")
  String getPlateModel();

  void setPlateModel(String value);

  @Description(
      "--plateModel=net|text: the frame's longer side is searched at this many pixels "
          + "(rounded to a multiple of 32). Smaller is faster and misses small plates: see README.")
  @Default.Integer(1280)
  int getPlateSearchSide();

  void setPlateSearchSide(int value);

  @Description(
      "--plateModel=net: the plate finder network, a model written by train-plates (default: "
          + "the one the project ships, models/plate-net.onnx).")
  String getPlateNet();

  void setPlateNet(String value);

  @Description(
      "--plateModel=net|text: the plate verifier, a model written by train-plates (default: "
          + "the one the project ships, models/plate-verifier.onnx).")
  String getPlateVerifier();

  void setPlateVerifier(String value);

  @Description("Directory holding the fetched models (default: .cache/models under the project).")
  String getModelDir();

  void setModelDir(String value);
}
