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
 * times it: {@code TarballBenchmark TARBALL SELECTED_IDS.txt OUTPUT_DIR [beam flags]}.
 */
public final class TarballBenchmark {
  private TarballBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> ids = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
    String[] beamArgs = java.util.Arrays.copyOfRange(args, 3, args.length);
    long start = System.nanoTime();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(beamArgs).create());
    p.apply("SelectedIds", Create.of(ids))
        .apply(ExtractSelectedImages.from(List.of(args[0]), args[2]));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    StringBuilder counts = new StringBuilder();
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.inNamespace(ExtractSelectedImages.class)).build())
            .getCounters()) {
      counts.append(' ').append(c.getName().getName()).append('=').append(c.getAttempted());
    }
    for (MetricResult<DistributionResult> d :
        result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(ExtractSelectedImages.class, "tarball-millis")).build())
            .getDistributions()) {
      counts.append(String.format(Locale.ROOT, " extract_seconds=%.2f", d.getAttempted().getMax() / 1000.0));
    }
    System.out.printf(Locale.ROOT, "pipeline_seconds=%.2f%s%n", seconds, counts);
  }
}
