package org.mosaicbeam.model;

import java.util.Locale;
import org.mosaicbeam.cli.UserError;

/**
 * Creates the detector named by {@code --detector}. A new backend is one class implementing
 * {@link Detector} plus one case here (and, if it needs settings, an options interface extending
 * {@link DetectorOptions}).
 */
public final class Detectors {
  private Detectors() {}

  public static Detector create(DetectorOptions options) throws Exception {
    String name = options.getDetector() == null ? "local" : options.getDetector();
    switch (name.toLowerCase(Locale.ROOT)) {
      case "local":
        return LocalDetector.create(options);
      default:
        throw new UserError("unknown --detector=" + name + " (available: local)");
    }
  }
}
