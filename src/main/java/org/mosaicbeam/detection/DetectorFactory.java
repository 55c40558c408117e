package org.mosaicbeam.detection;

import java.io.Serializable;
import org.mosaicbeam.model.Detector;

/**
 * Makes a detector on a worker from the pipeline's options. The default is {@code
 * Detectors::create}; tests pass their own (e.g. a detector that throws).
 */
@FunctionalInterface
public interface DetectorFactory extends Serializable {
  Detector create(DetectorOptions options) throws Exception;
}
