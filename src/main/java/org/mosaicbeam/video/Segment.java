package org.mosaicbeam.video;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run of consecutive frames of one video, starting at a keyframe: the unit of parallel work.
 * Cheap to pass around (timestamps only, no pixels); a worker decodes exactly these frames.
 *
 * @param firstFrame index of the first frame in the whole video
 * @param pts presentation timestamps of the frames to write, in the video stream's time base,
 *     strictly ascending
 * @param sourcePts the timestamps the decoder reports for these frames (ascending, may repeat)
 * @param exactTimestamps decoded frames can be checked against {@code sourcePts} (every source
 *     frame had a pts)
 * @param durations how long each frame is shown (same base)
 * @param seekMicros where to seek the grabber (JavaCV timestamps, relative to the file start), or
 *     -1 to decode from the beginning
 */
public record Segment(
    VideoInfo info,
    int index,
    int count,
    long firstFrame,
    long[] pts,
    long[] sourcePts,
    boolean exactTimestamps,
    long[] durations,
    long seekMicros)
    implements Serializable {

  // Records compare arrays by identity; Beam's mutation checks need value equality.
  @Override
  public boolean equals(Object o) {
    return o instanceof Segment s
        && info.equals(s.info)
        && index == s.index
        && count == s.count
        && firstFrame == s.firstFrame
        && seekMicros == s.seekMicros
        && exactTimestamps == s.exactTimestamps
        && Arrays.equals(pts, s.pts)
        && Arrays.equals(sourcePts, s.sourcePts)
        && Arrays.equals(durations, s.durations);
  }

  @Override
  public int hashCode() {
    return 31 * info.hashCode() + index;
  }

  @Override
  public String toString() {
    return "Segment["
        + info.path()
        + " #"
        + index
        + "/"
        + count
        + ", frames "
        + firstFrame
        + ".."
        + (firstFrame + pts.length - 1)
        + "]";
  }

  public int frames() {
    return pts.length;
  }

  /**
   * Cuts a probed video into segments of about {@code targetFrames} frames, each starting at a
   * keyframe that a seek can find by its timestamp: one above every timestamp before it and not
   * above any after it (so repeated timestamps never straddle a cut). Videos with frames that have
   * no timestamp become one segment.
   */
  public static List<Segment> plan(VideoProbe.Result probe, int targetFrames) {
    long[] pts = probe.pts();
    long[] source = probe.sourcePts();
    int n = pts.length;
    long[] minFrom = new long[n + 1]; // smallest source timestamp from frame i on
    minFrom[n] = Long.MAX_VALUE;
    for (int i = n - 1; i >= 0; i--) {
      minFrom[i] = Math.min(source[i], minFrom[i + 1]);
    }
    List<int[]> ranges = new ArrayList<>();
    int start = 0;
    if (probe.exactTimestamps()) {
      long maxBefore = source[0];
      for (int i = 1; i < n; i++) {
        if (probe.keyframes()[i]
            && i - start >= targetFrames
            && n - i >= targetFrames / 4
            && maxBefore < source[i]
            && source[i] <= minFrom[i]) {
          ranges.add(new int[] {start, i});
          start = i;
        }
        maxBefore = Math.max(maxBefore, source[i]);
      }
    }
    ranges.add(new int[] {start, n});
    List<Segment> out = new ArrayList<>();
    VideoInfo info = probe.info();
    for (int s = 0; s < ranges.size(); s++) {
      int from = ranges.get(s)[0];
      int to = ranges.get(s)[1];
      long seek = -1;
      if (from > 0) {
        // Half a frame early so that rounding never skips the segment's first frame.
        long halfFrame = info.ptsToMicros(Math.max(1, source[from] - source[from - 1])) / 2;
        seek = Math.max(0, info.ptsToMicros(source[from]) - probe.formatStartMicros() - halfFrame);
      }
      out.add(
          new Segment(
              info,
              s,
              ranges.size(),
              from,
              Arrays.copyOfRange(pts, from, to),
              Arrays.copyOfRange(source, from, to),
              probe.exactTimestamps(),
              Arrays.copyOfRange(probe.durations(), from, to),
              seek));
    }
    return out;
  }
}
