package org.mosaicbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L); // fake System.nanoTime()

  private Progress progress(String what, long total, long intervalMillis) {
    return new Progress(
        what,
        total,
        new PrintStream(buffer, true, StandardCharsets.UTF_8),
        intervalMillis,
        clock::get);
  }

  private List<String> lines() {
    return buffer.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** A slow first frame (model loading, JIT) once gave "frames 1/180 (1%) 0.3 fps ETA 672s". */
  @Test
  void nothingIsEstimatedBeforeWarmUpAndTheEtaComesFromTheRecentRate() {
    Progress p = progress("frames", 180, 2000).realTime(30);
    clock.addAndGet(3_000_000_000L); // 3 s of start-up before the first frame
    p.add(1);
    assertEquals(List.of(), lines(), "no line before warm-up");
    assertEquals("frames 1/180 (1%)", p.line(1, clock.get()), "no rate or ETA before warm-up");
    for (int i = 0; i < 120; i++) { // then 10 fps for 12 s
      clock.addAndGet(100_000_000L);
      p.add(1);
    }
    // window: the last ~10 s at 10 fps; 59 frames left -> 6 s
    assertEquals(
        "frames 121/180 (67%), 10.0 fps, 0.33x real time, ETA 6s", p.line(121, clock.get()));
    assertTrue(
        lines().size() >= 4 && lines().size() <= 6, "a line every 2 s after warm-up: " + lines());
    assertTrue(
        lines()
            .get(0)
            .matches("frames 31/180 \\(17%\\), 10\\.\\d fps, 0\\.3\\dx real time, ETA 1\\ds"),
        lines().get(0));
  }

  @Test
  void printsAtMostOncePerInterval() {
    Progress p = progress("rows", 0, 60_000);
    p.add(1);
    clock.addAndGet(59_999_999_999L);
    p.add(1);
    assertEquals(List.of(), lines(), "no line 1 ns before the interval passed");
    clock.addAndGet(1);
    p.add(1);
    assertEquals(1, lines().size(), "one line once the interval passed: " + lines());
    for (int i = 0; i < 1000; i++) { // 59 s more: still inside the interval that began at the print
      clock.addAndGet(59_000_000L);
      p.add(1);
    }
    assertEquals(1, lines().size(), "at most one line per interval: " + lines());
    clock.addAndGet(1_000_000_000L);
    p.add(1);
    assertEquals(2, lines().size(), "one more line after the next interval: " + lines());
    assertEquals(1004, p.done());
  }

  @Test
  void bytesAreShownInTheirUnit() {
    Progress p = progress("dataset: pass 1", 100L << 20, 1000).unit("MB", 1 << 20);
    p.add(1);
    for (int i = 0; i < 40; i++) {
      clock.addAndGet(100_000_000L);
      p.add(1 << 20);
    }
    assertEquals(
        "dataset: pass 1 40/100 (40%) MB, 10.0 MB/s, ETA 6s", p.line(p.done(), clock.get()));
  }
}
