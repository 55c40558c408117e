package org.mosaicbeam.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The training results summary Rekognition Custom Labels writes to S3 after training (format:
 * "Reference: Training results summary file" in the Custom Labels developer guide): overall and
 * per-label precision, recall and F1 on the test dataset.
 */
record EvaluationSummary(
    Metrics overall, List<LabelMetrics> labels, int trainingImages, int testingImages) {

  record Metrics(Double f1, Double precision, Double recall, Double threshold) {
    static Metrics of(JsonNode n) {
      return new Metrics(
          number(n, "F1Score"),
          number(n, "Precision"),
          number(n, "Recall"),
          number(n, "Threshold"));
    }
  }

  record LabelMetrics(String label, Integer testingImages, Metrics metrics) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the summary through Beam FileSystems, so s3:// and local paths both work. */
  static EvaluationSummary read(String path) throws IOException {
    MatchResult.Metadata file = FileSystems.matchSingleFileSpec(path);
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return parse(JSON.readTree(in), path);
    }
  }

  static EvaluationSummary parse(JsonNode root, String source) throws IOException {
    JsonNode aggregated = root.get("AggregatedEvaluationResults");
    if (aggregated == null || !aggregated.isObject()) {
      throw new IOException(
          source
              + " is not a Custom Labels training summary "
              + "(no AggregatedEvaluationResults)");
    }
    List<LabelMetrics> labels = new ArrayList<>();
    for (JsonNode l : root.path("LabelEvaluationResults")) {
      labels.add(
          new LabelMetrics(
              l.path("Label").asText("?"),
              l.has("NumberOfTestingImages") ? l.get("NumberOfTestingImages").asInt() : null,
              Metrics.of(l.path("Metrics"))));
    }
    JsonNode details = root.path("EvaluationDetails");
    return new EvaluationSummary(
        Metrics.of(aggregated),
        labels,
        details.path("NumberOfTrainingImages").asInt(-1),
        details.path("NumberOfTestingImages").asInt(-1));
  }

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-32s %8s %10s %8s %10s %8s%n",
        "label",
        "F1",
        "precision",
        "recall",
        "threshold",
        "images");
    row(out, "(overall)", overall, testingImages >= 0 ? testingImages : null);
    for (LabelMetrics l : labels) {
      row(out, l.label(), l.metrics(), l.testingImages());
    }
    if (trainingImages >= 0) {
      out.printf(
          Locale.ROOT, "trained on %d images, tested on %d%n", trainingImages, testingImages);
    }
  }

  private static void row(PrintStream out, String label, Metrics m, Integer images) {
    out.printf(
        Locale.ROOT,
        "%-32s %8s %10s %8s %10s %8s%n",
        label,
        fmt(m.f1()),
        fmt(m.precision()),
        fmt(m.recall()),
        fmt(m.threshold()),
        images == null ? "-" : images.toString());
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
  }

  private static Double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() ? v.asDouble() : null;
  }
}
