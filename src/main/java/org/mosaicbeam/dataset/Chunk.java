package org.mosaicbeam.dataset;

import java.nio.charset.StandardCharsets;

/**
 * Whole CSV lines as raw bytes: {@code bytes[from, to)}, whose first byte is at file offset {@code
 * offset}. The scanning passes look at bytes (ASCII MIDs and ImageIDs compare byte-exactly) and
 * decode text as UTF-8 only for the few lines they parse ({@link #line}).
 */
record Chunk(byte[] bytes, int from, int to, long offset) {

  /** The index of the line break ending the line that holds {@code index}, or {@code to}. */
  int lineEnd(int index) {
    int nl = ByteSearch.indexOf(bytes, (byte) '\n', index, to);
    return nl < 0 ? to : nl;
  }

  /** The index of the first byte of the line that holds {@code index}. */
  int lineStart(int index) {
    int nl = ByteSearch.lastIndexOf(bytes, (byte) '\n', from, index);
    return nl < 0 ? from : nl + 1;
  }

  /** The line {@code [start, end)} without its line break, decoded as UTF-8. */
  String line(int start, int end) {
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  /** The file offset of {@code index}. */
  long offsetOf(int index) {
    return offset + index - from;
  }
}
