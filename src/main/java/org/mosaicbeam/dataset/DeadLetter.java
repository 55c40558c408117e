package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.util.Locale;

/**
 * Input that was rejected: a CSV row, a tarball member or tarball, an image file. For a CSV row the
 * byte offset is turned into a line number only when the dead-letter file is written (rows are
 * found by byte ranges, not by counting lines); anything else has offset -1. {@code row} is the CSV
 * row, the tar member's name or the ImageID.
 */
public record DeadLetter(String file, long offset, Kind kind, String reason, String row)
    implements Serializable {

  /** What was rejected, counted by kind in report.json. */
  public enum Kind {
    BAD_ROW,
    UNSAFE_MEMBER,
    DUPLICATE_MEMBER,
    UNREADABLE_TARBALL,
    TOO_LARGE,
    TRUNCATED;

    /** The name in report.json ("too_large"). */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
