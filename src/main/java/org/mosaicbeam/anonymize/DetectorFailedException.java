package org.mosaicbeam.anonymize;

/** The detector failed on a frame and {@code --onDetectorError=fail} asked to stop the run. */
public class DetectorFailedException extends RuntimeException {
  public DetectorFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
