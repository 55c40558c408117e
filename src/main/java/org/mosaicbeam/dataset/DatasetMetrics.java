package org.mosaicbeam.dataset;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The dataset pipeline's counters: one namespace, every name in one list, so the summary that
 * {@code DatasetPipeline} prints and the steps that count can't drift apart.
 */
final class DatasetMetrics {
  static final String NAMESPACE = "dataset";

  // pass 1 (FindImagesWithClassFn)
  static final String PASS1_BYTES = "pass1.bytes";
  static final String REQUIRED_BOXES = "required.boxes";
  // pass 2 (ReadSelectedRowsFn)
  static final String PASS2_BYTES = "pass2.bytes";
  static final String ROWS_OF_SELECTED_IMAGES = "rows.ofSelectedImages";
  static final String ROWS_WANTED = "rows.wanted";
  static final String ROWS_DEAD_LETTERS = "rows.deadLetters";
  // LocateImages, TarballImages
  static final String IMAGES_LOCATED = "images.located";
  static final String IMAGES_FROM_TARBALLS = "images.from-tarballs";
  static final String IMAGES_MISSING_IN_TARBALLS = "images.missing-in-tarballs";
  // JoinByImage
  static final String IMAGES_KEPT = "images.kept";
  static final String IMAGES_MISSING_OR_UNREADABLE = "images.missingOrUnreadable";
  static final String IMAGES_BREAKING_LIMITS = "images.breakingLimits";
  // WriteOutputs
  static final String IMAGES_WITH_REQUIRED_CLASS = "images.withRequiredClass";
  static final String IMAGES_SELECTED = "images.selected";
  static final String OUTPUT_IMAGES = "output.images";
  static final String OUTPUT_BOXES = "output.boxes";

  private DatasetMetrics() {}

  static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /**
   * Every counter of a finished run by name (attempted values: the DirectRunner has no committed).
   */
  static Map<String, Long> of(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(NAMESPACE))
                    .build())
            .getCounters()) {
      counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
    }
    return counters;
  }
}
