package org.mosaicbeam.anonymize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.mosaicbeam.model.Detection;

/**
 * The privacy guarantee of one segment, without video: which frames the detector examines and which
 * of its findings cover which frames. A region found on frame k masks frames k-M..k+M (M =
 * holdFrames), so with a stride of at most 2M+1 every frame is covered by an examined one; a frame
 * whose window holds a detector failure is masked whole (fail closed).
 *
 * <p>With tracking, every region of the two examined frames around a frame is held over the whole
 * gap between them (its object was there at one look, and nothing says when it came or left), and a
 * region seen on both looks also follows its object there ({@link BoxTracks}): the moved box is
 * added to the held ones, not put in their place, so that a wrong pairing (a scene cut, two plates
 * swapping places) can only mask more. A pairing is a guess, the looks are facts: held only M
 * frames, a plate that appeared at a scene cut and was paired with a stray box of the scene before
 * it was left bare between the two holds (PlateAnonymizeTest found that frame). A region seen on
 * only one look also reaches out to the frame's edge when it is near one. A frame is then final
 * once the next examined frame is seen too, and a failure on either examined frame around it masks
 * it whole.
 *
 * <p>Examined: every {@code detectEvery}-th frame of the video, the segment's first frame (a worker
 * cannot look before its keyframe), the first frame after the segment (the next segment examines it
 * too, so both agree on the frames around the cut) and the video's last frame. Frames are given in
 * order; frame j is final once every examined frame that could cover it was seen.
 */
final class TemporalHold {

  /** What masks a frame: the regions found around it, or the whole frame. */
  record Cover(List<Detection> boxes, boolean wholeFrame) {}

  /** What the detector made of one examined frame; {@code boxes} is null when it failed. */
  private record Look(long frame, List<Detection> boxes) {}

  private final int detectEvery;
  private final int holdFrames;
  private final boolean tracking;
  private final long firstFrame;
  private final long endFrame; // the first frame after the segment
  private final long lastFrameOfVideo;
  private final int width;
  private final int height;
  private final List<Look> looks = new ArrayList<>(); // in frame order

  /**
   * @param firstFrame the segment's first frame (index in the whole video)
   * @param frames the segment's frame count
   * @param videoFrames the video's frame count
   * @param width the frame's width in pixels (height likewise)
   */
  TemporalHold(
      int detectEvery,
      int holdFrames,
      boolean tracking,
      long firstFrame,
      long frames,
      long videoFrames,
      int width,
      int height) {
    this.detectEvery = detectEvery;
    this.holdFrames = holdFrames;
    this.tracking = tracking;
    this.firstFrame = firstFrame;
    this.endFrame = firstFrame + frames;
    this.lastFrameOfVideo = videoFrames - 1;
    this.width = width;
    this.height = height;
  }

  boolean isDetectionFrame(long index) {
    return index % detectEvery == 0
        || index == firstFrame
        || index == endFrame
        || index == lastFrameOfVideo;
  }

  /** The detector examined {@code frame} and found {@code boxes}. */
  void found(long frame, List<Detection> boxes) {
    looks.add(new Look(frame, List.copyOf(boxes)));
  }

  /** The detector failed on {@code frame}: the frames it would have covered are masked whole. */
  void failed(long frame) {
    looks.add(new Look(frame, null));
  }

  /** Whether frame {@code waiting} can be masked now that frame {@code seen} has been examined. */
  boolean isFinal(long waiting, long seen) {
    if (waiting + holdFrames > seen) {
      return false;
    }
    if (!tracking) {
      return true;
    }
    long next = waiting;
    while (next < lastFrameOfVideo && !isDetectionFrame(next)) {
      next++;
    }
    return next <= seen;
  }

  /** What masks {@code frame}; frames are finished in order (looks behind it are dropped). */
  Cover finish(long frame) {
    // a look still matters while it holds this frame or is the last one at or before it
    while (looks.size() > 1
        && looks.get(0).frame() + holdFrames < frame
        && looks.get(1).frame() <= frame) {
      looks.remove(0);
    }
    Look before = null;
    Look after = null;
    for (Look l : looks) {
      if (l.frame() <= frame) {
        before = l;
      } else if (after == null) {
        after = l;
      }
    }
    boolean whole = false;
    List<Detection> boxes = new ArrayList<>();
    // with tracking, the boxes of both looks around the frame: held over the whole gap
    Set<Detection> held = Collections.newSetFromMap(new IdentityHashMap<>());
    if (tracking && before != null && after != null && before.frame() < frame) {
      if (before.boxes() == null || after.boxes() == null) {
        whole = true;
      } else {
        long gap = after.frame() - before.frame();
        double t = (double) (frame - before.frame()) / gap;
        Set<Detection> unpaired = Collections.newSetFromMap(new IdentityHashMap<>());
        unpaired.addAll(before.boxes());
        unpaired.addAll(after.boxes());
        for (BoxTracks.Pair p : BoxTracks.match(before.boxes(), after.boxes(), gap)) {
          boxes.add(BoxTracks.at(p, t));
          unpaired.remove(p.from());
          unpaired.remove(p.to());
        }
        for (List<Detection> side : List.of(before.boxes(), after.boxes())) {
          for (Detection d : side) { // in list order: overlapping masks paint the same each run
            boxes.add(unpaired.contains(d) ? BoxTracks.toEdge(d, width, height) : d);
            held.add(d);
          }
        }
      }
    }
    for (Look l : looks) {
      if (Math.abs(l.frame() - frame) > holdFrames) {
        continue;
      }
      whole |= l.boxes() == null;
      for (Detection d : l.boxes() == null ? List.<Detection>of() : l.boxes()) {
        if (!held.contains(d)) {
          boxes.add(d);
        }
      }
    }
    return new Cover(boxes, whole);
  }
}
