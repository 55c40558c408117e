package org.mosaicbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void lineShowsCountPercentRateAndEta() {
    Progress progress = new Progress("frames", 100, System.err, 60_000);
    long start = System.nanoTime();
    // 25 of 100 done after (about) 5 s: 5/s, 15 s left.
    String line = progress.line(25, start + 5_000_000_000L);
    assertTrue(line.startsWith("frames 25/100 (25%)"), line);
    assertTrue(line.contains("/s"), line);
    assertTrue(line.contains("ETA 15s"), line);
  }

  @Test
  void printsAtMostOncePerInterval() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Progress progress =
        new Progress("rows", 0, new PrintStream(buffer, true, StandardCharsets.UTF_8), 60_000);
    for (int i = 0; i < 1000; i++) {
      progress.add(1);
    }
    assertEquals(1000, progress.done());
    assertEquals("", buffer.toString(StandardCharsets.UTF_8), "no line before the interval passed");
  }
}
