package org.mosaicbeam.io;

import java.io.PrintStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress report of every subcommand: "what done/total (pct), rate, speed x real time,
 * ETA". On a terminal (the launcher says so: {@code -Dmosaicbeam.tty=true} when stderr is one) an
 * in-place bar drawn by me.tongfei:progressbar; otherwise a plain line every interval, for logs.
 *
 * <p>Rate and ETA come from the last {@link #WINDOW_NANOS} of work, and nothing is estimated before
 * {@link #WARMUP_NANOS} of it: model loading and the JIT made the first line of an 11 s job say
 * "0.3 fps ETA 672s". Thread-safe; the per-item cost is an atomic add and a clock read.
 */
public final class Progress implements AutoCloseable {
  static final long WARMUP_NANOS = 3_000_000_000L;
  static final long WINDOW_NANOS = 10_000_000_000L;

  private final String what;
  private final AtomicLong total; // <= 0 when unknown
  private final long intervalNanos;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lastPrint;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, done}, guarded by itself
  private volatile long firstNanos = -1; // when the first item was done
  private volatile String unit = "";
  private volatile long scale = 1;
  private volatile double perRealSecond; // items per second of real time (a video's frame rate)
  private final boolean tty;
  private volatile ProgressBar bar;
  private volatile boolean closed;

  public Progress(String what, long total) {
    this(what, total, System.err, 2000);
  }

  public Progress(String what, long total, PrintStream out, long intervalMillis) {
    this(what, total, out, intervalMillis, System::nanoTime);
  }

  /** For tests: {@code nanoClock} stands in for {@link System#nanoTime()}. */
  Progress(String what, long total, PrintStream out, long intervalMillis, LongSupplier nanoClock) {
    this.what = what;
    this.total = new AtomicLong(total);
    this.out = out;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nanoClock = nanoClock;
    this.lastPrint = new AtomicLong(nanoClock.getAsLong());
    this.tty = Boolean.getBoolean("mosaicbeam.tty") && out == System.err;
  }

  /**
   * Counts in {@code scale}s of the unit shown, e.g. bytes shown as MB: {@code unit("MB", 1 <<
   * 20)}.
   */
  public Progress unit(String unit, long scale) {
    this.unit = unit;
    this.scale = scale;
    return this;
  }

  /** Items per second of real time (a video's frame rate): the line then says "N x real time". */
  public Progress realTime(double itemsPerSecond) {
    this.perRealSecond = itemsPerSecond;
    return this;
  }

  /** More work became known (a video was planned). */
  public void addTotal(long n) {
    long t = total.addAndGet(n);
    ProgressBar b = bar;
    if (b != null) {
      b.maxHint(t);
    }
  }

  /** Counts {@code n} more items done; a plain line when the interval has passed after warm-up. */
  public void add(long n) {
    long now = nanoClock.getAsLong();
    long count = done.addAndGet(n);
    if (firstNanos < 0) {
      firstNanos = now;
    }
    sample(now, count);
    ProgressBar b = tty ? bar() : null;
    if (b != null) {
      b.stepBy(n);
      // the bar keeps what room is left on the line: "x real time" would squeeze it to nothing
      String extra = rates(now).replace(", ", " ").replace(" real time", "");
      b.setExtraMessage(extra.isEmpty() ? "" : " " + extra);
      if (total.get() > 0 && count >= total.get() && !growing()) {
        close();
      }
      return;
    }
    long last = lastPrint.get();
    if (now - firstNanos >= WARMUP_NANOS
        && now - last >= intervalNanos
        && lastPrint.compareAndSet(last, now)) {
      out.println(line(count, now));
    }
  }

  public long done() {
    return done.get();
  }

  /** The terminal bar, made at the first item (when unit and real-time rate are known). */
  private synchronized ProgressBar bar() {
    if (bar == null && !closed) {
      ProgressBarBuilder builder =
          new ProgressBarBuilder()
              .setTaskName(what)
              .setInitialMax(Math.max(total.get(), 0))
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(500)
              .setEtaFunction(state -> eta())
              .continuousUpdate();
      if (!unit.isEmpty()) {
        builder.setUnit(" " + unit, scale);
      }
      bar = builder.build();
    }
    return bar;
  }

  /** Ends the bar (its last state stays on screen); plain lines need no ending. */
  @Override
  public synchronized void close() {
    closed = true;
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /** A video run's total grows as videos are planned: its owner closes it, not the last item. */
  private boolean growing() {
    return perRealSecond > 0;
  }

  String line(long count, long now) {
    StringBuilder sb = new StringBuilder(what).append(' ').append(count / scale);
    long t = total.get();
    if (t > 0) {
      sb.append('/')
          .append(t / scale)
          .append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * count / t));
    }
    if (!unit.isEmpty()) {
      sb.append(' ').append(unit);
    }
    String rates = rates(now);
    if (!rates.isEmpty()) {
      sb.append(", ").append(rates);
    }
    eta(now).ifPresent(eta -> sb.append(", ETA ").append(format(eta)));
    return sb.toString();
  }

  /** "4.7 fps, 0.16x real time" (or "12.3 MB/s"), from the window; empty before warm-up. */
  private String rates(long now) {
    double rate = windowRate(now);
    if (rate < 0) {
      return "";
    }
    if (perRealSecond > 0) {
      return String.format(Locale.ROOT, "%.1f fps, %.2fx real time", rate, rate / perRealSecond);
    }
    return unit.isEmpty()
        ? String.format(Locale.ROOT, "%.1f/s", rate)
        : String.format(Locale.ROOT, "%.1f %s/s", rate / scale, unit);
  }

  private Optional<Duration> eta() {
    return eta(nanoClock.getAsLong());
  }

  private Optional<Duration> eta(long now) {
    double rate = windowRate(now);
    long left = total.get() - done.get();
    if (rate <= 0 || total.get() <= 0 || left <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Math.round(left / rate)));
  }

  /** Items per second over the last window; -1 before warm-up. */
  private double windowRate(long now) {
    long first = firstNanos;
    if (first < 0 || now - first < WARMUP_NANOS) {
      return -1;
    }
    long[] oldest;
    synchronized (samples) {
      oldest = samples.peekFirst();
    }
    if (oldest == null || now - oldest[0] <= 0) {
      return -1;
    }
    return (done.get() - oldest[1]) * 1e9 / (now - oldest[0]);
  }

  /** Keeps about one sample per 100 ms, and none older than the window. */
  private void sample(long now, long count) {
    synchronized (samples) {
      long[] newest = samples.peekLast();
      if (newest == null) {
        samples.add(new long[] {now, count - 1 < 0 ? 0 : count - 1});
      } else if (now - newest[0] >= 100_000_000L) {
        samples.add(new long[] {now, count});
      }
      while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
        samples.pollFirst();
      }
    }
  }

  private static String format(Duration d) {
    long s = d.getSeconds();
    return s < 60
        ? s + "s"
        : s < 3600
            ? (s / 60) + "m" + String.format("%02ds", s % 60)
            : (s / 3600) + "h" + String.format("%02dm", (s / 60) % 60);
  }

  // ---- one report shared by the DoFn instances of a run (deserialised per thread) ----

  private static final Map<String, Progress> SHARED = new ConcurrentHashMap<>();

  /**
   * A serialisable name for one report in this JVM, for steps of a pipeline: every DoFn instance
   * that holds it adds to the same report. {@link #finish} ends it, so a next run starts afresh.
   */
  public record Shared(String key, String what, long total, String unit, long scale)
      implements Serializable {
    public Shared(String key, String what, long total) {
      this(key, what, total, "", 1);
    }

    public Progress progress() {
      return SHARED.computeIfAbsent(key, k -> new Progress(what, total).unit(unit, scale));
    }

    public void add(long n) {
      progress().add(n);
    }

    /** Ends this report (and forgets it): the next add starts a new one. */
    public void finish() {
      Progress p = SHARED.remove(key);
      if (p != null) {
        p.close();
      }
    }
  }
}
