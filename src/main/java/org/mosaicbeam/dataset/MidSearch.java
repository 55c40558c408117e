package org.mosaicbeam.dataset;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a MID in CSV bytes fast: it scans for the MID's rarest byte with {@link ByteSearch} (eight
 * bytes per step) and compares the whole MID only where that byte occurs. "Rarest" is counted on a
 * sample of the data, so for the plate MID {@code /m/01jfm_} it scans for {@code j} or {@code _},
 * which few OID lines contain, rather than for {@code /}, {@code m} or a digit, which all do.
 */
final class MidSearch {
  private final byte[] mid;
  private int anchor; // the index in mid of the byte scanned for; -1 until the first search

  /** A search that scans for the MID's byte least frequent in the bytes of its first call. */
  MidSearch(String mid) {
    this(mid, -1);
  }

  /** A search that scans for {@code mid[anchor]} (tests try every anchor). */
  MidSearch(String mid, int anchor) {
    this.mid = mid.getBytes(StandardCharsets.UTF_8);
    this.anchor = anchor;
  }

  int anchor() {
    return anchor;
  }

  /** The start of the first occurrence of the MID within {@code [from, to)} of {@code a}, or -1. */
  int next(byte[] a, int from, int to) {
    if (anchor < 0) {
      anchor = rarestByte(mid, a, from, to);
    }
    int m = mid.length;
    for (int i = ByteSearch.indexOf(a, mid[anchor], from + anchor, to);
        i >= 0;
        i = ByteSearch.indexOf(a, mid[anchor], i + 1, to)) {
      int start = i - anchor;
      if (start + m > to) {
        return -1;
      }
      if (Arrays.equals(a, start, start + m, mid, 0, m)) {
        return start;
      }
    }
    return -1;
  }

  private static int rarestByte(byte[] mid, byte[] sample, int from, int to) {
    int[] counts = new int[256];
    for (int i = from; i < to; i++) {
      counts[sample[i] & 0xFF]++;
    }
    int best = mid.length - 1;
    for (int i = mid.length - 1; i >= 0; i--) {
      if (counts[mid[i] & 0xFF] < counts[mid[best] & 0xFF]) {
        best = i;
      }
    }
    return best;
  }
}
