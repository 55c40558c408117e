package org.mosaicbeam.dataset;

import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Parses and validates one bounding-box CSV line with Commons CSV (quotes allowed). */
final class RowParser {
  private RowParser() {}

  /** Thrown for a row that must go to the dead letters; the message is the reason. */
  static final class BadRow extends Exception {
    BadRow(String reason) {
      super(reason);
    }
  }

  /**
   * The fields of one line (without line break). A line without quotes is exactly its
   * comma-separated fields, so only lines with quotes go through Commons CSV, whose parser
   * allocates a 16 KB buffer per call (1.3 GB over the ~80,000 lines a full OID run parses).
   */
  static List<String> fields(String line) throws BadRow {
    if (line.isEmpty()) {
      throw new BadRow("empty line");
    }
    if (line.indexOf('"') < 0) {
      return Arrays.asList(line.split(",", -1));
    }
    try {
      Iterator<CSVRecord> it = CSVFormat.DEFAULT.parse(new StringReader(line)).iterator();
      if (!it.hasNext()) {
        throw new BadRow("empty line");
      }
      return it.next().toList();
    } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
      throw new BadRow("unparseable CSV: " + e.getMessage());
    }
  }

  /**
   * Checks the column count, then the label; returns null when the label is not wanted. {@code
   * split}: the split of the CSV the row is in.
   */
  static BoxRow parse(
      List<String> r, AnnotationColumns c, java.util.Set<String> wantedMids, String split)
      throws BadRow {
    if (r.size() != c.count()) {
      throw new BadRow("expected " + c.count() + " columns, found " + r.size());
    }
    String mid = r.get(c.labelName()).strip();
    if (!wantedMids.contains(mid)) {
      return null;
    }
    double xMin = coordinate(r, c.xMin(), "XMin");
    double xMax = coordinate(r, c.xMax(), "XMax");
    double yMin = coordinate(r, c.yMin(), "YMin");
    double yMax = coordinate(r, c.yMax(), "YMax");
    if (xMin > xMax) {
      throw new BadRow("XMin " + xMin + " > XMax " + xMax);
    }
    if (yMin > yMax) {
      throw new BadRow("YMin " + yMin + " > YMax " + yMax);
    }
    double confidence = 1.0;
    if (c.confidence() >= 0 && !r.get(c.confidence()).isBlank()) {
      confidence = number(r, c.confidence(), "Confidence");
    }
    return new BoxRow(r.get(c.imageId()).strip(), mid, confidence, xMin, xMax, yMin, yMax, split);
  }

  private static double coordinate(List<String> r, int column, String name) throws BadRow {
    double v = number(r, column, name);
    if (v < 0 || v > 1) {
      throw new BadRow(name + " " + v + " outside [0,1]");
    }
    return v;
  }

  private static double number(List<String> r, int column, String name) throws BadRow {
    String text = r.get(column).strip();
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new BadRow("non-numeric " + name + " '" + text + "'");
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new BadRow(name + " is " + text);
    }
    return v;
  }
}
