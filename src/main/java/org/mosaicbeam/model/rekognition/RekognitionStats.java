package org.mosaicbeam.model.rekognition;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * What the Rekognition backend did, counted twice: as Beam {@link Metrics} counters (namespace
 * {@value #NAMESPACE}; aggregated by the runner across workers when called on a DoFn thread) and as
 * JVM-wide totals for the summary line a local run prints.
 */
public final class RekognitionStats {
  public static final String NAMESPACE = "rekognition";

  /** One counter in both places. */
  private static final class Count {
    final AtomicLong total = new AtomicLong();
    final Counter metric;

    Count(String name) {
      metric = Metrics.counter(NAMESPACE, name);
    }

    void inc() {
      total.incrementAndGet();
      metric.inc();
    }
  }

  private static final Count FACE_CALLS = new Count("detectFacesCalls");
  private static final Count PLATE_CALLS = new Count("detectCustomLabelsCalls");
  private static final Count FACE_IMAGES_BILLED = new Count("detectFacesSucceeded");
  private static final Count THROTTLES = new Count("throttles");
  private static final Count RETRIES = new Count("retries");
  private static final Count FAILED_CALLS = new Count("failedCalls");

  private RekognitionStats() {}

  static void call(boolean faces) {
    (faces ? FACE_CALLS : PLATE_CALLS).inc();
  }

  static void succeeded(boolean faces) {
    if (faces) {
      FACE_IMAGES_BILLED.inc();
    }
  }

  static void throttled() {
    THROTTLES.inc();
  }

  static void retried() {
    RETRIES.inc();
  }

  static void failed() {
    FAILED_CALLS.inc();
  }

  /** The JVM-wide totals at one moment; tests and summaries take differences. */
  public record Snapshot(
      long faceCalls,
      long plateCalls,
      long faceImagesBilled,
      long throttles,
      long retries,
      long failedCalls) {
    public long calls() {
      return faceCalls + plateCalls;
    }

    public Snapshot minus(Snapshot before) {
      return new Snapshot(
          faceCalls - before.faceCalls, plateCalls - before.plateCalls,
          faceImagesBilled - before.faceImagesBilled, throttles - before.throttles,
          retries - before.retries, failedCalls - before.failedCalls);
    }

    /** Estimated DetectFaces cost; Custom Labels bills inference-unit hours, not images. */
    public double estimatedCost(double pricePerImage) {
      return faceImagesBilled * pricePerImage;
    }

    public String summary(double pricePerImage) {
      return String.format(
          Locale.ROOT,
          "rekognition: %d calls (DetectFaces %d, DetectCustomLabels %d), %d throttled, "
              + "%d retries, %d failed after retries; estimated DetectFaces cost $%.4f "
              + "(%d images at $%.4f; Custom Labels is billed per inference-unit hour instead)",
          calls(),
          faceCalls,
          plateCalls,
          throttles,
          retries,
          failedCalls,
          estimatedCost(pricePerImage),
          faceImagesBilled,
          pricePerImage);
    }
  }

  /**
   * The totals a finished pipeline reported through Beam metrics (all workers, any runner);
   * counters a runner did not report read as 0.
   */
  public static Snapshot fromMetrics(MetricResults results) {
    java.util.Map<String, Long> counters = new java.util.HashMap<>();
    MetricQueryResults query =
        results.queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(NAMESPACE)).build());
    for (MetricResult<Long> c : query.getCounters()) {
      Long value;
      try {
        value = c.getCommitted();
      } catch (UnsupportedOperationException notCommitted) {
        value = c.getAttempted();
      }
      counters.merge(c.getName().getName(), value == null ? 0L : value, Long::sum);
    }
    return new Snapshot(
        counters.getOrDefault("detectFacesCalls", 0L),
        counters.getOrDefault("detectCustomLabelsCalls", 0L),
        counters.getOrDefault("detectFacesSucceeded", 0L),
        counters.getOrDefault("throttles", 0L),
        counters.getOrDefault("retries", 0L),
        counters.getOrDefault("failedCalls", 0L));
  }

  public static Snapshot snapshot() {
    return new Snapshot(
        FACE_CALLS.total.get(),
        PLATE_CALLS.total.get(),
        FACE_IMAGES_BILLED.total.get(),
        THROTTLES.total.get(),
        RETRIES.total.get(),
        FAILED_CALLS.total.get());
  }
}
