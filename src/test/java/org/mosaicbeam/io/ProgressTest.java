package org.mosaicbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
    AtomicLong clock = new AtomicLong(1_000_000_000_000L); // fake System.nanoTime()
    Progress progress = new Progress(
        "rows", 0, new PrintStream(buffer, true, StandardCharsets.UTF_8), 60_000, clock::get);
    for (int i = 0; i < 1000; i++) {
      progress.add(1);
    }
    assertEquals(1000, progress.done());
    assertEquals("", buffer.toString(StandardCharsets.UTF_8), "no line before the interval passed");

    clock.addAndGet(59_999_999_999L); // 1 ns short of the interval
    progress.add(1);
    assertEquals("", buffer.toString(StandardCharsets.UTF_8), "no line 1 ns before the interval passed");

    clock.addAndGet(1); // the interval has passed: the next add prints exactly one line
    progress.add(1);
    assertEquals(List.of("rows 1002 16.7/s"), lines(buffer), "one line once the interval passed");

    for (int i = 0; i < 1000; i++) { // more adds within the same interval print nothing more
      clock.addAndGet(59_000_000L); // 59 s in all, still inside the interval that began at the print
      progress.add(1);
    }
    assertEquals(2002, progress.done());
    assertEquals(1, lines(buffer).size(), "at most one line per interval: " + lines(buffer));

    clock.addAndGet(1_000_000_000L); // 60 s after the first line: the next interval has passed
    progress.add(1);
    List<String> lines = lines(buffer);
    assertEquals(2, lines.size(), "one more line after the next interval: " + lines);
    assertEquals("rows 2003 16.7/s", lines.get(1));
    progress.add(1);
    assertEquals(2, lines(buffer).size(), "and none right after it: " + lines(buffer));
  }

  private static List<String> lines(ByteArrayOutputStream buffer) {
    return buffer.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
  }
}
