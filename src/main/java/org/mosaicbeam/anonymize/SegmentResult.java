package org.mosaicbeam.anonymize;

import java.io.Serializable;

/**
 * What processing one segment produced: where its packets and audit lines are, and counts. A failed
 * video carries {@code error} instead (index -1 when it failed before segmenting).
 */
public record SegmentResult(
    String video,
    int index,
    int count,
    long frames,
    long detectedFrames,
    long failedFrames,
    long regions,
    String packets,
    String audit,
    String error)
    implements Serializable {

  static SegmentResult failed(String video, String error) {
    return new SegmentResult(video, -1, 0, 0, 0, 0, 0, null, null, error);
  }
}
