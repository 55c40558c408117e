package org.mosaicbeam.video;

/** A video could not be read or written; the message names the file and says why. */
public class VideoException extends Exception {
  public VideoException(String message) {
    super(message);
  }

  public VideoException(String message, Throwable cause) {
    super(message, cause);
  }
}
