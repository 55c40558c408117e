package org.mosaicbeam.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.model.Detection;

class CoverageTest {
  private static final Detection BOX = new Detection(Detection.FACE, 1, 100, 100, 40, 40);

  private static Detection region(int x, int y, int w, int h) {
    return new Detection(Detection.FACE, 1, x, y, w, h);
  }

  @Test
  void sharesOfABoxUnderTheMasks() {
    assertEquals(1.0, Coverage.covered(BOX, List.of(region(90, 90, 60, 60))), 1e-9);
    assertEquals(0.5, Coverage.covered(BOX, List.of(region(100, 100, 20, 40))), 1e-9);
    // two halves together cover it; overlapping masks are not counted twice
    assertEquals(
        1.0,
        Coverage.covered(BOX, List.of(region(100, 100, 25, 40), region(115, 100, 25, 40))),
        1e-9);
    assertEquals(0.0, Coverage.covered(BOX, List.of()), 1e-9);
  }

  @Test
  void countsPerKindAndTheLongestUncoveredRunPerObject() {
    List<Coverage.ObjectFrame> frames = new ArrayList<>();
    List<Detection> covering = List.of(region(90, 90, 60, 60));
    for (int i = 0; i < 10; i++) {
      // drift: frames 3..5 bare; zoom: only frame 9 bare, and frame 4 masked whole
      frames.add(of("drift", i, i >= 3 && i <= 5 ? List.of() : covering, false));
      frames.add(of("zoom", i, i == 9 || i == 4 ? List.of() : covering, i == 4));
    }
    Map<String, Coverage.Score> s = Coverage.score(frames);
    assertEquals(List.of("drift", "zoom", "all"), List.copyOf(s.keySet()));
    assertEquals(new Coverage.Score(10, 7, 3), s.get("drift"));
    assertEquals(new Coverage.Score(10, 9, 1), s.get("zoom"));
    assertEquals(new Coverage.Score(20, 16, 3), s.get("all"));
    assertEquals(0.8, s.get("all").share(), 1e-9);
  }

  private static Coverage.ObjectFrame of(
      String kind, int frame, List<Detection> masked, boolean whole) {
    return new Coverage.ObjectFrame(kind, kind + ".mp4", 0, frame, BOX, masked, whole);
  }
}
