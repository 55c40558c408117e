package org.mosaicbeam.anonymize;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.mosaicbeam.model.Detection;

/**
 * The privacy guarantee of one segment, without video: which frames the detector examines and which
 * of its findings cover which frames. A region found on frame k masks frames k-M..k+M (M =
 * holdFrames), so with a stride of at most 2M+1 every frame is covered by an examined one; a frame
 * whose window holds a detector failure is masked whole (fail closed).
 *
 * <p>Examined: every {@code detectEvery}-th frame of the video, the segment's first frame (a worker
 * cannot look before its keyframe), the first frame after the segment (the next segment examines it
 * too, so both agree on the frames around the cut) and the video's last frame. Frames are given in
 * order; frame j is final once every examined frame that could cover it (k ≤ j+M) was seen.
 */
final class TemporalHold {

  /** What masks a frame: the regions found around it, or the whole frame. */
  record Cover(List<Detection> boxes, boolean wholeFrame) {}

  /** The findings of one examined frame, masking frames {@code from..to}. */
  private record Hold(long from, long to, List<Detection> boxes, boolean wholeFrame) {}

  private final int detectEvery;
  private final int holdFrames;
  private final long firstFrame;
  private final long endFrame; // the first frame after the segment
  private final long lastFrameOfVideo;
  private final List<Hold> holds = new ArrayList<>();

  /**
   * @param firstFrame the segment's first frame (index in the whole video)
   * @param frames the segment's frame count
   * @param videoFrames the video's frame count
   */
  TemporalHold(int detectEvery, int holdFrames, long firstFrame, long frames, long videoFrames) {
    this.detectEvery = detectEvery;
    this.holdFrames = holdFrames;
    this.firstFrame = firstFrame;
    this.endFrame = firstFrame + frames;
    this.lastFrameOfVideo = videoFrames - 1;
  }

  boolean isDetectionFrame(long index) {
    return index % detectEvery == 0
        || index == firstFrame
        || index == endFrame
        || index == lastFrameOfVideo;
  }

  /** The detector examined {@code frame} and found {@code boxes}. */
  void found(long frame, List<Detection> boxes) {
    holds.add(new Hold(frame - holdFrames, frame + holdFrames, boxes, false));
  }

  /** The detector failed on {@code frame}: the frames it would have covered are masked whole. */
  void failed(long frame) {
    holds.add(new Hold(frame - holdFrames, frame + holdFrames, List.of(), true));
  }

  /** Whether frame {@code waiting} can be masked now that frame {@code seen} has been examined. */
  boolean isFinal(long waiting, long seen) {
    return waiting + holdFrames <= seen;
  }

  /** What masks {@code frame}; frames are finished in order (holds behind it are dropped). */
  Cover finish(long frame) {
    boolean whole = false;
    List<Detection> boxes = new ArrayList<>();
    for (Iterator<Hold> it = holds.iterator(); it.hasNext(); ) {
      Hold h = it.next();
      if (h.to() < frame) {
        it.remove(); // frames arrive in order: this hold covers nothing any more
        continue;
      }
      if (h.from() <= frame) {
        whole |= h.wholeFrame();
        boxes.addAll(h.boxes());
      }
    }
    return new Cover(boxes, whole);
  }
}
