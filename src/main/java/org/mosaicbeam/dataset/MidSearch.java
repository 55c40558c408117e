package org.mosaicbeam.dataset;

/**
 * Finds a MID in a chunk of CSV text fast, with Boyer-Moore-Horspool: it looks at the character
 * under the MID's last position and, when that cannot end a match, jumps ahead by up to the MID's
 * length instead of one character. The `dataset` JVM runs C1 only (see scripts/mosaicbeam), where
 * {@code String.indexOf} is a plain one-character-at-a-time loop, so looking at fewer characters
 * is what makes the scan cheaper.
 */
final class MidSearch {
  private final String mid;
  private final char last;
  private final int[] shift = new int[256]; // how far to jump when this character is under the MID's end

  MidSearch(String mid) {
    this.mid = mid;
    int m = mid.length();
    this.last = mid.charAt(m - 1);
    java.util.Arrays.fill(shift, m);
    for (int i = 0; i < m - 1; i++) {
      shift[mid.charAt(i) & 0xFF] = m - 1 - i;
    }
  }

  /** The start of the next occurrence of the MID at or after {@code from}, or -1. */
  int next(String chunk, int from) {
    int m = mid.length();
    int n = chunk.length();
    for (int end = from + m - 1; end < n; ) {
      char c = chunk.charAt(end);
      if (c == last && chunk.startsWith(mid, end - m + 1)) {
        return end - m + 1;
      }
      end += shift[c & 0xFF];
    }
    return -1;
  }
}
