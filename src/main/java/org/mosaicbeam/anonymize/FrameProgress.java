package org.mosaicbeam.anonymize;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames done across all segment workers of this JVM, printed as "frames done/total fps ETA".
 * The total grows as videos are planned, so the line is computed here rather than with io.Progress.
 */
final class FrameProgress {
  private static final AtomicLong TOTAL = new AtomicLong();
  private static final AtomicLong DONE = new AtomicLong();
  private static final AtomicLong LAST = new AtomicLong(System.nanoTime());
  private static volatile long start = System.nanoTime();

  private FrameProgress() {}

  static void reset() {
    TOTAL.set(0);
    DONE.set(0);
    start = System.nanoTime();
    LAST.set(start);
  }

  static void planned(long frames) {
    TOTAL.addAndGet(frames);
  }

  static void done(long frames) {
    long d = DONE.addAndGet(frames);
    long now = System.nanoTime();
    long last = LAST.get();
    if (now - last >= 2_000_000_000L && LAST.compareAndSet(last, now)) {
      double secs = (now - start) / 1e9;
      long total = TOTAL.get();
      double fps = d / Math.max(1e-9, secs);
      String eta = total > d && fps > 0 ? String.format(" ETA %.0fs", (total - d) / fps) : "";
      System.err.printf(java.util.Locale.ROOT, "anonymize: frames %d/%d (%.0f%%) %.1f fps%s%n",
          d, total, total > 0 ? 100.0 * d / total : 0.0, fps, eta);
    }
  }
}
