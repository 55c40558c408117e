package org.mosaicbeam.io;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Prints throttled progress lines for long work: "what done/total (pct) rate/s ETA". Thread-safe;
 * prints at most once per interval so it costs nothing measurable per item.
 */
public final class Progress {
  private final String what;
  private final long total; // <= 0 when unknown
  private final long intervalNanos;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lastPrint;

  public Progress(String what, long total, PrintStream out, long intervalMillis) {
    this(what, total, out, intervalMillis, System::nanoTime);
  }

  /** For tests: {@code nanoClock} stands in for {@link System#nanoTime()}. */
  Progress(String what, long total, PrintStream out, long intervalMillis, LongSupplier nanoClock) {
    this.what = what;
    this.total = total;
    this.out = out;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastPrint = new AtomicLong(startNanos);
  }

  public Progress(String what, long total) {
    this(what, total, System.err, 2000);
  }

  /** Counts {@code n} more items done and prints a line if the interval has passed. */
  public void add(long n) {
    long now = nanoClock.getAsLong();
    long count = done.addAndGet(n);
    long last = lastPrint.get();
    if (now - last >= intervalNanos && lastPrint.compareAndSet(last, now)) {
      out.println(line(count, now));
    }
  }

  public long done() {
    return done.get();
  }

  public double elapsedSeconds() {
    return (nanoClock.getAsLong() - startNanos) / 1e9;
  }

  String line(long count, long now) {
    double secs = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = count / secs;
    StringBuilder sb = new StringBuilder(what).append(' ').append(count);
    if (total > 0) {
      sb.append('/').append(total)
          .append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * count / total));
    }
    sb.append(String.format(Locale.ROOT, " %.1f/s", rate));
    if (total > 0 && rate > 0 && count < total) {
      sb.append(String.format(Locale.ROOT, " ETA %.0fs", (total - count) / rate));
    }
    return sb.toString();
  }
}
