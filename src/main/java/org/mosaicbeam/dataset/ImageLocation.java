package org.mosaicbeam.dataset;

import java.io.Serializable;

/**
 * Where an image file is and what its header says, or why it could not be used ({@code problem}
 * non-null: missing, unreadable header, too large, truncated).
 */
public record ImageLocation(
    String imageId,
    String path,
    long sizeBytes,
    String format,
    int width,
    int height,
    int depth,
    String problem)
    implements Serializable {

  static ImageLocation found(String imageId, String path, long sizeBytes, ImageHeader header) {
    return new ImageLocation(
        imageId,
        path,
        sizeBytes,
        header.format(),
        header.width(),
        header.height(),
        header.depth(),
        null);
  }

  static ImageLocation missing(String imageId) {
    return new ImageLocation(imageId, null, 0, null, 0, 0, 0, "missing");
  }

  /** A file that is there but must not be used (too large, truncated): {@code why} says so. */
  static ImageLocation unusable(String imageId, String path, long sizeBytes, String why) {
    return new ImageLocation(imageId, path, sizeBytes, null, 0, 0, 0, why);
  }

  static ImageLocation unreadable(String imageId, String path, String why) {
    return new ImageLocation(
        imageId, path, 0, null, 0, 0, 0, "unreadable image " + path + ": " + why);
  }

  boolean usable() {
    return problem == null;
  }

  /** The file name, as appended to --sourceRefPrefix. */
  String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
