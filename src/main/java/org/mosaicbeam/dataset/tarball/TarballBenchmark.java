package org.mosaicbeam.dataset.tarball;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

/**
 * Runs {@link ExtractSelectedImages} alone on the DirectRunner, as {@code scripts/bench-tarball}
 * times it: {@code scripts/mosaicbeam bench-tarball-extract TARBALL SELECTED_IDS.txt OUTPUT_DIR
 * [--withoutBeam | beam flags]}.
 */
public final class TarballBenchmark {
  /** Rekognition's per-image limit, the dataset's default --maxImageBytes. */
  private static final long MAX_IMAGE_BYTES = 15L << 20;

  private TarballBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
      (help ? System.out : System.err)
          .println(
              "usage: scripts/mosaicbeam bench-tarball-extract "
                  + "TARBALL SELECTED_IDS.txt OUTPUT_DIR [--withoutBeam | beam flags]");
      if (!help) {
        System.exit(2);
      }
      return;
    }
    List<String> ids = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
    if (args.length > 3 && args[3].equals("--withoutBeam")) {
      // the extraction core alone, to tell its cost from the runner's
      long t0 = System.nanoTime();
      TarballExtractor.Stats stats =
          new TarballExtractor(new java.util.HashSet<>(ids), args[2], MAX_IMAGE_BYTES)
              .extract(
                  org.apache.beam.sdk.io.FileSystems.matchSingleFileSpec(args[0]),
                  new TarballExtractor.Listener() {
                    @Override
                    public void image(String imageId, String path, boolean alreadyPresent) {}

                    @Override
                    public void rejected(RejectedMember member) {}
                  });
      System.out.printf(
          Locale.ROOT,
          "without_beam extract_seconds=%.2f members-read=%d images-written=%d%n",
          (System.nanoTime() - t0) / 1e9,
          stats.members,
          stats.written);
      return;
    }
    String[] beamArgs = java.util.Arrays.copyOfRange(args, 3, args.length);
    long start = System.nanoTime();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(beamArgs).create());
    p.apply("SelectedIds", Create.of(ids))
        .apply(ExtractSelectedImages.from(List.of(args[0]), args[2], MAX_IMAGE_BYTES));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    StringBuilder counts = new StringBuilder();
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(ExtractSelectedImages.class))
                    .build())
            .getCounters()) {
      counts.append(' ').append(c.getName().getName()).append('=').append(c.getAttempted());
    }
    for (MetricResult<DistributionResult> d :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(ExtractSelectedImages.class, "tarball-millis"))
                    .build())
            .getDistributions()) {
      counts.append(
          String.format(Locale.ROOT, " extract_seconds=%.2f", d.getAttempted().getMax() / 1000.0));
    }
    System.out.printf(Locale.ROOT, "pipeline_seconds=%.2f%s%n", seconds, counts);
  }
}
