package org.mosaicbeam.anonymize;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.model.rekognition.RekognitionStats;

/** The summary an anonymize run prints on stderr, from its report and its counters. */
final class RunSummary {
  private RunSummary() {}

  /** The lines a batch run ends with: where its report is, its counts, its costs, its outputs. */
  static void print(
      AnonymizePipeline.Summary s,
      PipelineResult result,
      AnonymizeOptions options,
      String report,
      String page,
      long processCpuNanos) {
    if (options.getDetections() != null) {
      System.err.println(
          "anonymize: audit trail (one line per frame) in " + options.getDetections());
    }
    System.err.println("anonymize: run report (one line per video) in " + report);
    if (page != null) {
      System.err.println("anonymize: report page: open " + page);
    }
    long frames = s.frames();
    System.err.printf(
        Locale.ROOT,
        "anonymize: done in %.1fs: %d video(s) written, %d failed, %d frames (%.1f fps), "
            + "%d regions masked, %d frames masked whole because the detector failed%n",
        s.seconds(),
        s.videos().size(),
        s.failures().size(),
        frames,
        frames / Math.max(1e-9, s.seconds()),
        s.maskedRegions(),
        s.detectorFailedFrames());
    if (frames > 0) {
      printCpuPerFrame(
          result,
          frames,
          options.getRunner().getSimpleName().equals("DirectRunner") ? processCpuNanos : -1);
    }
    if (options.getDetector() != null && Detectors.choice(options).uses("rekognition")) {
      System.err.println(
          "anonymize: "
              + RekognitionStats.fromMetrics(result.metrics()).summary(options.getPricePerImage()));
    }
    for (String note : s.notes()) {
      System.err.println("anonymize: " + note);
    }
    for (String w : s.videos()) {
      System.err.println("anonymize: wrote " + w);
    }
  }

  /**
   * Where the CPU went, per frame: each stage's own thread (decode, detect, the rest of
   * detect-and-mask, encode) and, when the whole run is in this JVM, everything else in it (Beam,
   * GC, JIT, OpenCV's worker threads): what a speed change has to beat. One line, the detector's
   * share explained by the frames it examined (two separate per-frame numbers, 13 ms and 151 ms,
   * read as a contradiction).
   */
  private static void printCpuPerFrame(PipelineResult result, long frames, long processCpuNanos) {
    long detectedFrames = counter(result, "detectedFrames");
    StringBuilder byDetector = new StringBuilder();
    long detectorMicros = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(AnonymizeVideos.class))
                    .build())
            .getCounters()) {
      String name = c.getName().getName();
      if (name.startsWith(AnonymizeVideos.DETECT_CPU_PREFIX) && detectedFrames > 0) {
        detectorMicros += c.getAttempted();
        byDetector.append(
            String.format(
                Locale.ROOT,
                "%s %s %.0f",
                byDetector.length() == 0 ? ":" : ",",
                name.substring(AnonymizeVideos.DETECT_CPU_PREFIX.length()),
                c.getAttempted() / 1000.0 / detectedFrames));
      }
    }
    String examined =
        detectedFrames == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " (%d of %d frames examined, %.0f ms each%s)",
                detectedFrames,
                frames,
                detectorMicros / 1000.0 / detectedFrames,
                byDetector);
    double decode = counter(result, "cpuMicros.decode") / 1000.0 / frames;
    double detect = counter(result, "cpuMicros.detect") / 1000.0 / frames;
    double detectAndMask = counter(result, "cpuMicros.detectAndMask") / 1000.0 / frames;
    double encode = counter(result, "cpuMicros.encode") / 1000.0 / frames;
    String rest =
        processCpuNanos < 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", rest of the process %.1f ms (Beam, GC, JIT, OpenCV threads)",
                processCpuNanos / 1e6 / frames - decode - detectAndMask - encode);
    System.err.printf(
        Locale.ROOT,
        "anonymize: CPU per frame of video: decode %.1f ms, detect %.1f ms%s, "
            + "mask and the rest of that thread %.1f ms, encode %.1f ms%s%n",
        decode,
        detect,
        examined,
        detectAndMask - detect,
        encode,
        rest);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(AnonymizeVideos.class, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
