package org.mosaicbeam.dataset;

import java.io.Serializable;

/** One validated bounding box of a CSV row: normalised coordinates in [0,1]. */
public record BoxRow(
    String imageId,
    String labelMid,
    double confidence,
    double xMin,
    double xMax,
    double yMin,
    double yMax)
    implements Serializable {}
