package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mosaicbeam.model.Detection;

/**
 * The temporal hold without video: a segment's frames are fed in order as SegmentWorker does
 * (frames past the segment up to M included, as its decoder reads them), the detector "finds" what
 * each test says on every examined frame (null: it fails), and each frame's cover is checked.
 */
class TemporalHoldTest {
  private static final Detection FACE = new Detection(Detection.FACE, 0.9f, 1, 2, 3, 4);

  /** The covers of frames first..first+frames-1, in order, with SegmentWorker's loop. */
  static List<TemporalHold.Cover> run(
      int every,
      int m,
      boolean track,
      long first,
      long frames,
      long videoFrames,
      LongFunction<List<Detection>> finds,
      List<Long> examined) {
    TemporalHold hold = new TemporalHold(every, m, track, first, frames, videoFrames, 1920, 1080);
    long end = Math.min(videoFrames, first + frames + m); // the decoder's lookahead
    List<Long> waiting = new ArrayList<>();
    List<TemporalHold.Cover> covers = new ArrayList<>();
    for (long i = first; i < end; i++) {
      if (hold.isDetectionFrame(i)) {
        examined.add(i);
        List<Detection> found = finds.apply(i);
        if (found == null) {
          hold.failed(i);
        } else {
          hold.found(i, found);
        }
      }
      if (i < first + frames) {
        waiting.add(i);
      }
      while (!waiting.isEmpty() && hold.isFinal(waiting.get(0), i)) {
        covers.add(hold.finish(waiting.remove(0)));
      }
    }
    while (!waiting.isEmpty()) {
      covers.add(hold.finish(waiting.remove(0)));
    }
    return covers;
  }

  static List<TemporalHold.Cover> run(int every, int m, long first, long frames, long videoFrames) {
    return run(every, m, false, first, frames, videoFrames, i -> List.of(FACE), new ArrayList<>());
  }

  @Test
  void examinesTheStrideTheSegmentsEdgesAndTheLastFrame() {
    List<Long> examined = new ArrayList<>();
    // segment 2 of a 100-frame video: frames 37..73, stride 10, looking 3 frames past its end
    run(10, 3, false, 37, 37, 100, i -> List.of(FACE), examined);
    assertEquals(List.of(37L, 40L, 50L, 60L, 70L, 74L), examined);
    TemporalHold last = new TemporalHold(10, 3, false, 74, 26, 100, 1920, 1080);
    assertTrue(last.isDetectionFrame(99), "the video's last frame");
    assertFalse(last.isDetectionFrame(98));
  }

  @Test
  void aSegmentThatStartsBetweenStridesCoversItsFirstFrames() {
    // Frame 30's finding would cover 33 and 34, but it lies before the segment's keyframe (33):
    // the segment's own first frame is examined instead, and is all that covers them.
    List<TemporalHold.Cover> covers = run(10, 5, 33, 20, 100);
    assertEquals(List.of(FACE), covers.get(0).boxes(), "frame 33");
    assertEquals(List.of(FACE), covers.get(1).boxes(), "frame 34");
    assertEquals(2, covers.get(2).boxes().size(), "frame 35: 33's and 40's");
  }

  @Test
  void theLastFramesAreCoveredWithoutFramesAfterThem() {
    // 23 frames, stride 10, hold 5: frame 22 (the last) is examined, so 16..21 are covered.
    List<TemporalHold.Cover> covers = run(10, 5, 0, 23, 23);
    assertEquals(23, covers.size());
    for (int i = 0; i < covers.size(); i++) {
      assertFalse(covers.get(i).boxes().isEmpty(), "frame " + i);
    }
  }

  @Test
  void framesAreFinalOnlyOnceEveryDetectionThatCouldCoverThemWasSeen() {
    TemporalHold hold = new TemporalHold(4, 2, false, 0, 20, 20, 1920, 1080);
    assertFalse(hold.isFinal(5, 6), "frame 7 could still cover frame 5");
    assertTrue(hold.isFinal(5, 7));
    // A finding on frame 8 reaches back to 6, not to 5.
    hold.found(8, List.of(FACE));
    assertTrue(hold.finish(5).boxes().isEmpty());
    assertEquals(List.of(FACE), hold.finish(6).boxes());
    assertEquals(List.of(FACE), hold.finish(10).boxes());
    assertTrue(hold.finish(11).boxes().isEmpty(), "a hold ends M frames after its frame");
  }

  /** The smallest hold the run accepts (stride / 2) covers every frame; a smaller one does not. */
  @ParameterizedTest
  @CsvSource({"2, 1", "3, 1", "4, 2", "5, 2", "8, 4", "30, 15", "31, 15"})
  void aStrideUpToTwiceTheHoldPlusOneCoversEveryFrame(int every, int m) {
    List<TemporalHold.Cover> covers = run(every, m, 0, 200, 200);
    for (int i = 0; i < covers.size(); i++) {
      assertFalse(
          covers.get(i).boxes().isEmpty(), "stride " + every + ", hold " + m + ": frame " + i);
    }
  }

  @Test
  void aStrideLargerThanTheHoldLeavesFramesUncovered() {
    // Why AnonymizePipeline refuses --holdFrames below --detectEvery/2: 10 and 2 leave 3..7 bare.
    List<TemporalHold.Cover> covers = run(10, 2, 0, 30, 30);
    for (int i = 0; i < 30; i++) {
      int fromStride = Math.min(i % 10, 10 - i % 10);
      boolean covered = fromStride <= 2 || i >= 27; // 29, the last frame, is examined
      assertEquals(covered, !covers.get(i).boxes().isEmpty(), "frame " + i);
    }
  }

  @Test
  void aDetectorFailureMasksEveryFrameItWouldHaveCoveredWhole() {
    // stride 4, hold 2; the detector fails on frame 8: frames 6..10 are masked whole, even though
    // findings on 4 and 12 cover 6 and 10 too (fail closed), and no other frame is.
    List<TemporalHold.Cover> covers =
        run(4, 2, false, 0, 20, 20, i -> i == 8 ? null : List.of(FACE), new ArrayList<>());
    for (int i = 0; i < 20; i++) {
      assertEquals(i >= 6 && i <= 10, covers.get(i).wholeFrame(), "frame " + i);
    }
  }

  @Test
  void aFailureInTheLookaheadPastTheSegmentStillMasksItsLastFrames() {
    // frames 0..19 of 40; the next segment's first frame (20) is examined here and fails.
    List<TemporalHold.Cover> covers =
        run(8, 4, false, 0, 20, 40, i -> i == 20 ? null : List.of(FACE), new ArrayList<>());
    for (int i = 0; i < 20; i++) {
      assertEquals(i >= 16, covers.get(i).wholeFrame(), "frame " + i);
    }
  }

  /** A face 40x40 whose left edge moves 30 px per frame, as seen on frame i. */
  private static Detection movingFace(long i) {
    return new Detection(Detection.FACE, 0.9f, (int) (100 + 30 * i), 500, 40, 40);
  }

  @Test
  void withTrackingABoxAlsoFollowsItsObjectBetweenExaminedFrames() {
    // stride 8, hold 4: a copied box lags up to 4 frames (120 px, three times the face's width)
    List<TemporalHold.Cover> copied =
        run(8, 4, false, 0, 40, 40, i -> List.of(movingFace(i)), new ArrayList<>());
    List<TemporalHold.Cover> tracked =
        run(8, 4, true, 0, 40, 40, i -> List.of(movingFace(i)), new ArrayList<>());
    for (int i = 0; i < 40; i++) {
      Detection truth = movingFace(i);
      List<Detection> boxes = tracked.get(i).boxes();
      assertTrue(boxes.stream().anyMatch(b -> contains(b, truth)), "frame " + i + ": " + boxes);
      assertTrue(
          boxes.stream().allMatch(b -> b.width() <= 40 + 2 * 60 + 2),
          "frame " + i + " grown by at most 1/4 of 240 px each side");
      assertTrue(
          boxes.containsAll(copied.get(i).boxes()), "frame " + i + ": the held boxes stay too");
    }
    assertFalse(
        copied.get(3).boxes().stream().anyMatch(b -> contains(b, movingFace(3))),
        "without tracking, frame 3 has only boxes copied from frames 0 and 8");
  }

  @Test
  void withTrackingABoxSeenOnOneSideOnlyIsHeldUntilTheNextLookAndDropped() {
    // the face is found on frames 0 and 8 and is gone by 16: held over 9..15 (nothing says when it
    // left), no further
    List<TemporalHold.Cover> covers =
        run(
            8,
            4,
            true,
            0,
            32,
            32,
            i -> i <= 8 ? List.of(movingFace(i)) : List.of(),
            new ArrayList<>());
    for (int i = 0; i < 32; i++) {
      assertEquals(i < 16, !covers.get(i).boxes().isEmpty(), "frame " + i);
    }
  }

  @Test
  void withTrackingAWrongPairingLeavesNoFrameBare() {
    // a scene cut at frame 3: before it a stray box at the right, from it a plate at the left that
    // pairs with the stray (same label, similar size); the moved box runs between the two, so only
    // the looks' own boxes cover the plate on frames 3..5 (hold 2: frame 8's copies reach back to
    // 6)
    Detection stray = new Detection(Detection.PLATE, 0.5f, 1100, 300, 120, 50);
    Detection plate = new Detection(Detection.PLATE, 0.9f, 200, 400, 150, 60);
    List<TemporalHold.Cover> covers =
        run(8, 2, true, 0, 17, 17, i -> i < 3 ? List.of(stray) : List.of(plate), new ArrayList<>());
    for (int i = 3; i < 17; i++) {
      assertTrue(
          covers.get(i).boxes().stream().anyMatch(b -> contains(b, plate)),
          "frame " + i + ": " + covers.get(i).boxes());
    }
  }

  @Test
  void withTrackingAFailureOnEitherExaminedFrameAroundAFrameMasksItWhole() {
    // stride 8, hold 2: frames 1..7 lie between 0 and the failed 8, 9..15 between 8 and 16
    List<TemporalHold.Cover> covers =
        run(8, 2, true, 0, 24, 24, i -> i == 8 ? null : List.of(movingFace(i)), new ArrayList<>());
    for (int i = 0; i < 24; i++) {
      assertEquals(i >= 1 && i <= 15, covers.get(i).wholeFrame(), "frame " + i);
    }
  }

  @Test
  void withTrackingABoxThatAppearsAtTheEdgeReachesOutToItOnTheFramesBefore() {
    // a face entering from the left is first found on frame 8, 10 px from the edge: on frames 4..7
    // its held box reaches x = 0; a face found on both looks at the same place is only held
    Detection entering = new Detection(Detection.FACE, 0.9f, 10, 500, 40, 40);
    Detection still = new Detection(Detection.FACE, 0.9f, 5, 100, 40, 40);
    List<TemporalHold.Cover> covers =
        run(
            8,
            4,
            true,
            0,
            16,
            16,
            i -> i < 8 ? List.of(still) : List.of(still, entering),
            new ArrayList<>());
    for (int i = 4; i < 8; i++) {
      assertTrue(
          covers.get(i).boxes().contains(new Detection(Detection.FACE, 0.9f, 0, 500, 50, 40)),
          "frame " + i + ": " + covers.get(i).boxes());
      assertTrue(covers.get(i).boxes().contains(still), "frame " + i);
    }
    assertTrue(covers.get(8).boxes().contains(entering), "its own frame: as found");
  }

  private static boolean contains(Detection outer, Detection inner) {
    return outer.x() <= inner.x()
        && outer.y() <= inner.y()
        && outer.x() + outer.width() >= inner.x() + inner.width()
        && outer.y() + outer.height() >= inner.y() + inner.height();
  }
}
