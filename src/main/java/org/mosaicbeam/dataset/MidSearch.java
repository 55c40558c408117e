package org.mosaicbeam.dataset;

/**
 * Finds a MID in a chunk of CSV text fast. Every row has a MID starting with "/m/0", so a plain
 * {@code indexOf(mid)} stops at partial matches on every line. Instead this looks for the MID's
 * rarest character in a sample of the data (e.g. '_' or 'j' for "/m/01jfm_") with the vectorised
 * {@code indexOf(char)}, and compares the whole MID only there.
 */
final class MidSearch {
  private final String mid;
  private final char anchor;
  private final int anchorAt;

  MidSearch(String mid, String sample) {
    this.mid = mid;
    int best = 0;
    long bestCount = Long.MAX_VALUE;
    for (int i = 0; i < mid.length(); i++) {
      char c = mid.charAt(i);
      long count = sample.chars().filter(x -> x == c).count();
      if (count <= bestCount) { // ties: the later character (MIDs share their beginnings)
        best = i;
        bestCount = count;
      }
    }
    this.anchor = mid.charAt(best);
    this.anchorAt = best;
  }

  /** The start of the next occurrence of the MID at or after {@code from}, or -1. */
  int next(String chunk, int from) {
    int i = chunk.indexOf(anchor, from + anchorAt);
    while (i >= 0) {
      int start = i - anchorAt;
      if (chunk.startsWith(mid, start)) {
        return start;
      }
      i = chunk.indexOf(anchor, i + 1);
    }
    return -1;
  }

  char anchor() {
    return anchor;
  }
}
