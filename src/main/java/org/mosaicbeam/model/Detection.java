package org.mosaicbeam.model;

import java.io.Serializable;

/**
 * One detected region in pixel coordinates of the image it was found in.
 *
 * @param label "face" or "plate"
 * @param score confidence in [0, 1]
 */
public record Detection(String label, float score, int x, int y, int width, int height)
    implements Serializable {
  public static final String FACE = "face";
  public static final String PLATE = "plate";
}
