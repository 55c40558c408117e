package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.model.Detection;

class BoxTracksTest {
  private static Detection face(int x, int y, int size) {
    return new Detection(Detection.FACE, 0.9f, x, y, size, size);
  }

  @Test
  void pairsEachBoxWithTheNearestOfTheSameLabelAndSize() {
    Detection a1 = face(100, 100, 50);
    Detection a2 = face(600, 100, 50);
    Detection plate = new Detection(Detection.PLATE, 0.8f, 110, 110, 50, 50);
    Detection tiny = face(130, 100, 10);
    List<BoxTracks.Pair> m =
        BoxTracks.match(
            List.of(a1, a2), List.of(face(630, 100, 55), face(140, 110, 50), plate, tiny), 4);
    assertEquals(
        List.of(
            new BoxTracks.Pair(a2, face(630, 100, 55)), new BoxTracks.Pair(a1, face(140, 110, 50))),
        m,
        "the plate (another label) and the tiny face (a fifth of the size) stay unpaired");
  }

  @Test
  void boxesTooFarApartForTheGapStayUnpaired() {
    // a 50 px face may move (1 + gap) sizes: 250 px over 4 frames
    assertEquals(1, BoxTracks.match(List.of(face(0, 0, 50)), List.of(face(250, 0, 50)), 4).size());
    assertEquals(0, BoxTracks.match(List.of(face(0, 0, 50)), List.of(face(260, 0, 50)), 4).size());
  }

  @Test
  void aBoxMovingThirtyPixelsAFrameIsFollowed() {
    int gap = 8;
    BoxTracks.Pair p = new BoxTracks.Pair(face(100, 300, 40), face(100 + 30 * gap, 300, 40));
    for (int k = 0; k <= gap; k++) {
      Detection box = BoxTracks.at(p, (double) k / gap);
      double cx = box.x() + box.width() / 2.0;
      assertEquals(120 + 30 * k, cx, 1.0, "frame " + k + ": centred on the object");
      assertTrue(box.x() <= 100 + 30 * k && box.x() + box.width() >= 140 + 30 * k, "covers it");
    }
    assertEquals(face(100, 300, 40), BoxTracks.at(p, 0), "exact on the examined frame");
    assertEquals(40 + 2 * 60, BoxTracks.at(p, 0.5).width(), "grown by 1/4 of 240 px each side");
  }

  @Test
  void forwardsAndBackwardsAgree() {
    Detection a = face(100, 300, 40);
    Detection b = face(400, 200, 80);
    for (double t = 0; t <= 1; t += 0.125) {
      assertEquals(
          BoxTracks.at(new BoxTracks.Pair(a, b), t),
          BoxTracks.at(new BoxTracks.Pair(b, a), 1 - t),
          "t = " + t);
    }
  }

  @Test
  void aBoxNearAnEdgeReachesOutToIt() {
    // 30 px from the left edge (nearer than its 40 px width): stretched to x = 0
    assertEquals(face(0, 500, 70).width(), BoxTracks.toEdge(face(30, 500, 40), 1920, 1080).width());
    assertEquals(
        new Detection(Detection.FACE, 0.9f, 1850, 1010, 70, 70),
        BoxTracks.toEdge(face(1850, 1010, 40), 1920, 1080),
        "right and bottom");
    assertEquals(face(500, 500, 40), BoxTracks.toEdge(face(500, 500, 40), 1920, 1080), "inside");
  }
}
