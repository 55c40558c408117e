package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mosaicbeam.io.Progress;

/**
 * Progress of a scanning pass over all shards, shared by the DoFn instances of one run (DoFns are
 * deserialised per thread, so the {@link Progress} lives in a static map keyed by run and pass).
 */
final class ScanProgress implements Serializable {
  private static final Map<String, Pass> RUNNING = new ConcurrentHashMap<>();
  private final String key;
  private final String what;
  private final long totalBytes;

  ScanProgress(String runId, String what, long totalBytes) {
    this.key = runId + "/" + what;
    this.what = what;
    this.totalBytes = totalBytes;
  }

  void add(long bytes) {
    RUNNING.computeIfAbsent(key, k -> new Pass(new Progress(what + " (MB)", totalBytes >> 20), new AtomicLong()))
        .add(bytes);
  }

  /** Counts bytes, reports whole MB: chunks are smaller than a MB, so {@code bytes >> 20} would be 0. */
  private record Pass(Progress progress, AtomicLong bytes) {
    void add(long n) {
      long before = bytes.getAndAdd(n);
      progress.add(((before + n) >> 20) - (before >> 20));
    }
  }

  static void forget(String runId) {
    RUNNING.keySet().removeIf(k -> k.startsWith(runId + "/"));
  }
}
