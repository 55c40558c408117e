package org.mosaicbeam.video;

import java.io.Serializable;

/**
 * What the pipeline needs to know about an input's video stream to reproduce it exactly.
 *
 * @param timeBaseNum video stream time base numerator (timestamps below are in this base)
 * @param frameRateNum r_frame_rate as an exact rational (30000/1001 stays so)
 * @param rotation display rotation in degrees (phone video), 0 when none
 * @param frames number of video frames (packets carrying a picture)
 * @param truncation why the file looks cut short (the container declares more than it holds), or
 *     null when it is complete
 */
public record VideoInfo(
    String path,
    int width,
    int height,
    int timeBaseNum,
    int timeBaseDen,
    int frameRateNum,
    int frameRateDen,
    int avgFrameRateNum,
    int avgFrameRateDen,
    double rotation,
    long frames,
    boolean hasAudio,
    String audioCodec,
    String truncation)
    implements Serializable {

  public double frameRate() {
    return frameRateDen == 0 ? 0 : (double) frameRateNum / frameRateDen;
  }

  /** Microsecond timestamp (what JavaCV reports, truncated) → stream time base ticks. */
  public long microsToPts(long micros) {
    long num = 1_000_000L * timeBaseNum;
    long guess = Math.floorDiv(micros * timeBaseDen, num);
    for (long p = guess - 1; p <= guess + 2; p++) {
      if (ptsToMicros(p) == micros) {
        return p;
      }
    }
    return Math.round((double) micros * timeBaseDen / num);
  }

  /** The inverse, the way JavaCV computes it (integer arithmetic, truncation). */
  public long ptsToMicros(long pts) {
    return 1_000_000L * pts * timeBaseNum / timeBaseDen;
  }
}
