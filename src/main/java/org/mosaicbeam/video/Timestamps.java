package org.mosaicbeam.video;

/**
 * Presentation timestamps an MP4 can hold: strictly increasing. Phones write VFR files in which a
 * few frames share one timestamp (seen: 7 frames at pts 9000); the MP4 muxer refuses the second of
 * them ("dts 9000 >= 9000"). Every frame is kept: a frame whose timestamp is not above the one
 * before is moved to that one plus one tick of the stream's time base (the smallest step), so the
 * frames after it keep their own times unless they too are crowded.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The timestamps (in presentation order) made strictly increasing; the input is not changed. */
  public static long[] strictlyIncreasing(long[] pts) {
    long[] out = pts.clone();
    for (int i = 1; i < out.length; i++) {
      if (out[i] <= out[i - 1]) {
        out[i] = out[i - 1] + 1;
      }
    }
    return out;
  }

  /** How many frames {@link #strictlyIncreasing} moved. */
  public static int moved(long[] source, long[] repaired) {
    int n = 0;
    for (int i = 0; i < source.length; i++) {
      if (source[i] != repaired[i]) {
        n++;
      }
    }
    return n;
  }
}
