package org.mosaicbeam.anonymize;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.File;
import java.util.Locale;
import java.util.Set;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.model.LocalDetector;
import org.mosaicbeam.model.ModelFiles;
import org.mosaicbeam.model.PlateFinder;

/**
 * Loads each model file the user named ({@code --faceModel=FILE.onnx}, {@code --plateModel=...},
 * {@code --plateNet=...}, {@code --plateVerifier=...}) once on the launcher, before any work: a
 * corrupt or non-ONNX file is then one line naming its flag (it failed inside a pipeline worker, as
 * a stack trace). The built-in models are not loaded here: they ship in the jar, come checksummed
 * from scripts/fetch-models or from the OpenCV jar.
 */
final class UserModels {
  private UserModels() {}

  static void check(DetectorOptions options) {
    check("--faceModel", options.getFaceModel(), LocalDetector.FACE_MODELS);
    check("--plateModel", options.getPlateModel(), LocalDetector.PLATE_MODELS);
    if (options.getPlateNet() != null || options.getPlateVerifier() != null) {
      // loaded as the plate finder will load them, and closed
      try (PlateFinder finder =
          PlateFinder.create(
              PlateFinder.Source.NET,
              0,
              options.getPlateSearchSide(),
              options.getPlateNet() == null
                  ? null
                  : ModelFiles.user(options.getPlateNet(), "--plateNet"),
              options.getPlateVerifier() == null
                  ? null
                  : ModelFiles.user(options.getPlateVerifier(), "--plateVerifier"))) {
        // both load
      } catch (UserError e) {
        throw e;
      } catch (Exception e) {
        throw new UserError("--plateNet / --plateVerifier: " + e.getMessage(), e);
      }
    }
  }

  private static void check(String flag, String value, Set<String> builtIn) {
    if (value == null || builtIn.contains(value.toLowerCase(Locale.ROOT))) {
      return;
    }
    File file = ModelFiles.user(value, flag);
    try (OrtSession.SessionOptions settings = new OrtSession.SessionOptions();
        OrtSession session =
            OrtEnvironment.getEnvironment().createSession(file.getPath(), settings)) {
      // loaded: the detector will load it the same way
    } catch (OrtException e) {
      throw new UserError(
          flag
              + "="
              + value
              + ": not a model ONNX Runtime can load ("
              + e.getMessage().replaceFirst("^Error code - \\S+ - message: ", "")
              + ")",
          e);
    }
  }
}
