package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Column positions of one bounding-box CSV, found by header name, so both OID schemas work: train
 * (21 columns, with IsInside and XClick1X..XClick4Y) and validation/test (13 columns).
 */
public record AnnotationColumns(
    int count,
    int imageId,
    int source,
    int labelName,
    int confidence,
    int xMin,
    int xMax,
    int yMin,
    int yMax)
    implements Serializable {

  static final List<String> REQUIRED =
      List.of("ImageID", "LabelName", "XMin", "XMax", "YMin", "YMax");

  /**
   * Column positions from a header row; returns null and fills {@code missing} when required ones
   * are absent.
   */
  static AnnotationColumns fromHeader(List<String> header, List<String> missing) {
    List<String> names = new ArrayList<>();
    for (String h : header) {
      names.add(FilePatterns.stripBom(h).strip());
    }
    for (String required : REQUIRED) {
      if (!names.contains(required)) {
        missing.add(required);
      }
    }
    if (!missing.isEmpty()) {
      return null;
    }
    return new AnnotationColumns(
        names.size(),
        names.indexOf("ImageID"),
        names.indexOf("Source"),
        names.indexOf("LabelName"),
        names.indexOf("Confidence"),
        names.indexOf("XMin"),
        names.indexOf("XMax"),
        names.indexOf("YMin"),
        names.indexOf("YMax"));
  }
}
