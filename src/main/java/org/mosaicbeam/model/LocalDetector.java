package org.mosaicbeam.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mosaicbeam.base.UserError;

/**
 * Builds the offline default ({@code --detector=local}): a face detector and a plate detector run
 * on the same frame. Either may be a built-in model or a user ONNX file, or switched off with
 * {@code none}.
 */
public final class LocalDetector {
  /** The built-in values of {@code --faceModel} and {@code --plateModel} (others are files). */
  public static final Set<String> FACE_MODELS = Set.of("yunet", "blazeface", "none");

  /** The face score YuNet needs by default (faces-dev: see README). */
  public static final float YUNET_MIN_SCORE = 0.6f;

  public static final Set<String> PLATE_MODELS = Set.of("net", "text", "haar", "none");

  private static final String FACES = "faces";
  private static final String PLATES = "plates";

  private LocalDetector() {}

  public static Detector create(LocalDetectorOptions o) throws Exception {
    return create(o, true, true);
  }

  /** The local models for faces and/or plates (the other class may come from another backend). */
  public static Detector create(LocalDetectorOptions o, boolean faces, boolean plates)
      throws Exception {
    List<CombinedDetector.Part> parts = new ArrayList<>();
    String face = !faces ? "none" : o.getFaceModel() == null ? "yunet" : o.getFaceModel();
    switch (face.toLowerCase(Locale.ROOT)) {
      case "none":
        break;
      case "yunet":
        parts.add(
            new CombinedDetector.Part(
                FACES,
                YuNetDetector.shipped(
                    LocalDetectorOptions.faceMinConfidence(o, YUNET_MIN_SCORE),
                    o.getFaceScale(),
                    o.getFaceSearchSide())));
        break;
      case "blazeface":
        parts.add(
            new CombinedDetector.Part(
                FACES,
                new BlazeFaceDetector(
                    ModelFiles.fetched(o, ModelFiles.BLAZEFACE),
                    LocalDetectorOptions.faceMinConfidence(o, 0.5f),
                    o.getFaceSearch())));
        break;
      default:
        parts.add(
            new CombinedDetector.Part(
                FACES,
                new YoloOnnxDetector(
                    ModelFiles.user(face, "--faceModel"),
                    Detection.FACE,
                    LocalDetectorOptions.faceMinConfidence(o, 0.5f))));
    }
    String plate = !plates ? "none" : o.getPlateModel() == null ? "net" : o.getPlateModel();
    switch (plate.toLowerCase(Locale.ROOT)) {
      case "none":
        break;
      case "net":
      case "text":
        parts.add(
            new CombinedDetector.Part(
                PLATES,
                PlateFinder.create(
                    PlateFinder.Source.valueOf(plate.toUpperCase(Locale.ROOT)),
                    LocalDetectorOptions.plateMinConfidence(o, PlateFinder.DEFAULT_MIN_SCORE),
                    o.getPlateSearchSide(),
                    o.getPlateNet() == null ? null : ModelFiles.user(o.getPlateNet(), "--plateNet"),
                    o.getPlateVerifier() == null
                        ? null
                        : ModelFiles.user(o.getPlateVerifier(), "--plateVerifier"))));
        break;
      case "haar":
        parts.add(
            new CombinedDetector.Part(
                PLATES,
                new HaarPlateDetector(LocalDetectorOptions.plateMinConfidence(o, 0.3f), 640)));
        break;
      default:
        parts.add(
            new CombinedDetector.Part(
                PLATES,
                new YoloOnnxDetector(
                    ModelFiles.user(plate, "--plateModel"),
                    Detection.PLATE,
                    LocalDetectorOptions.plateMinConfidence(o, 0.3f))));
    }
    if (parts.isEmpty()) {
      throw new UserError("--faceModel=none and --plateModel=none: nothing to detect");
    }
    return new CombinedDetector(parts);
  }
}
