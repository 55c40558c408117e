package org.mosaicbeam.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.model.CombinedDetector;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.model.LocalDetector;
import org.mosaicbeam.model.LocalDetectorOptions;
import org.mosaicbeam.model.rekognition.RekognitionDetector;
import org.mosaicbeam.model.rekognition.RekognitionSettings;

/**
 * Creates the detector named by {@code --detector}, or per class by {@code --faceDetector} / {@code
 * --plateDetector} (e.g. faces offline, plates through a Custom Labels model). A new backend is one
 * class implementing {@link Detector} plus one case here (and, if it needs settings, an options
 * interface that {@link DetectorOptions} extends).
 */
public final class Detectors {
  private static final Set<String> BACKENDS = Set.of("local", "rekognition", "none");

  private Detectors() {}

  /** Which backend finds faces and which finds plates. */
  public record Choice(String faces, String plates) {
    public boolean uses(String backend) {
      return faces.equals(backend) || plates.equals(backend);
    }
  }

  /** Resolves and checks the choice on the launcher, so a bad flag fails before any work. */
  public static Choice choice(DetectorOptions options) {
    String all = backend("detector", options.getDetector(), "local");
    Choice c =
        new Choice(
            backend("faceDetector", options.getFaceDetector(), all),
            backend("plateDetector", options.getPlateDetector(), all));
    if (c.faces().equals("none") && c.plates().equals("none")) {
      throw new UserError("--faceDetector=none and --plateDetector=none: nothing to detect");
    }
    if (c.uses("rekognition")) {
      rekognitionSettings(options, c); // UserError now rather than on a worker
    }
    return c;
  }

  public static Detector create(DetectorOptions options) throws Exception {
    Choice c = choice(options);
    List<CombinedDetector.Part> parts = new ArrayList<>();
    if (c.uses("local")) {
      parts.add(
          new CombinedDetector.Part(
              "local",
              LocalDetector.create(
                  options, c.faces().equals("local"), c.plates().equals("local"))));
    }
    if (c.uses("rekognition")) {
      parts.add(
          new CombinedDetector.Part(
              "rekognition", new RekognitionDetector(rekognitionSettings(options, c))));
    }
    return new CombinedDetector(parts);
  }

  private static RekognitionSettings rekognitionSettings(DetectorOptions o, Choice c) {
    return RekognitionSettings.from(
        o,
        c.faces().equals("rekognition"),
        LocalDetectorOptions.faceMinConfidence(o, 0.5f),
        c.plates().equals("rekognition"),
        LocalDetectorOptions.plateMinConfidence(o, 0.3f));
  }

  private static String backend(String flag, String value, String fallback) {
    String name = value == null ? fallback : value.toLowerCase(Locale.ROOT);
    if (!BACKENDS.contains(name)) {
      throw new UserError(
          "unknown --"
              + flag
              + "="
              + value
              + " (available: local, rekognition"
              + (flag.equals("detector") ? ")" : ", none)"));
    }
    if (flag.equals("detector") && name.equals("none")) {
      throw new UserError("--detector=none would write faces and plates unmasked");
    }
    return name;
  }
}
