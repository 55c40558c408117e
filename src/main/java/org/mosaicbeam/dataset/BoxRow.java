package org.mosaicbeam.dataset;

import java.io.Serializable;

/**
 * One validated bounding box of a CSV row: normalised coordinates in [0,1], and the split of the
 * CSV it came from ({@link CsvShard#split}).
 */
public record BoxRow(
    String imageId,
    String labelMid,
    double confidence,
    double xMin,
    double xMax,
    double yMin,
    double yMax,
    String split)
    implements Serializable {}
