package org.mosaicbeam.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mosaicbeam.cli.UserError;

/**
 * Builds the offline default ({@code --detector=local}): a face detector and a plate detector run on
 * the same frame. Either may be a built-in model or a user ONNX file, or switched off with
 * {@code none}.
 */
public final class LocalDetector {
  private LocalDetector() {}

  public static Detector create(DetectorOptions o) throws Exception {
    return create(o, true, true);
  }

  /** The local models for faces and/or plates (the other class may come from another backend). */
  public static Detector create(DetectorOptions o, boolean faces, boolean plates)
      throws Exception {
    List<Detector> parts = new ArrayList<>();
    String face = !faces ? "none" : o.getFaceModel() == null ? "blazeface" : o.getFaceModel();
    switch (face.toLowerCase(Locale.ROOT)) {
      case "none":
        break;
      case "blazeface":
        parts.add(new BlazeFaceDetector(ModelFiles.fetched(o, ModelFiles.BLAZEFACE),
            o.getFaceMinConfidence(), o.getFaceSearch()));
        break;
      default:
        parts.add(new YoloOnnxDetector(ModelFiles.user(face, "--faceModel"), Detection.FACE,
            o.getFaceMinConfidence()));
    }
    String plate = !plates ? "none" : o.getPlateModel() == null ? "haar" : o.getPlateModel();
    switch (plate.toLowerCase(Locale.ROOT)) {
      case "none":
        break;
      case "haar":
        parts.add(new HaarPlateDetector(o.getPlateMinConfidence(), 640));
        break;
      default:
        parts.add(new YoloOnnxDetector(ModelFiles.user(plate, "--plateModel"), Detection.PLATE,
            o.getPlateMinConfidence()));
    }
    if (parts.isEmpty()) {
      throw new UserError("--faceModel=none and --plateModel=none: nothing to detect");
    }
    return new CombinedDetector(parts);
  }
}
