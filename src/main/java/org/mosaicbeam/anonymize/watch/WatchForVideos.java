package org.mosaicbeam.anonymize.watch;

import java.io.IOException;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.mosaicbeam.anonymize.Inputs;
import org.mosaicbeam.io.LocalFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming source of {@code anonymize --watch}: an unbounded stream of the videos that appear
 * in a folder or under an s3:// prefix, each path once, once its copy has finished, and only if it
 * has no output yet (so a restarted stream does not redo finished work and every input is written
 * exactly once). Polls the location through Beam FileSystems on a timer, holds back files that are
 * still changing, and remembers (in per-path state) which paths it has handed on.
 *
 * <p>Each input gets its own short window, so the grouping steps of the anonymize pipeline fire per
 * input as soon as it is done instead of waiting for an end of input that never comes.
 */
public class WatchForVideos extends PTransform<PBegin, PCollection<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchForVideos.class);

  private final String location;
  private final String outputRoot;
  private final Duration pollInterval;
  private final Duration settle;

  public WatchForVideos(
      String location, String outputRoot, Duration pollInterval, Duration settle) {
    this.location = location;
    this.outputRoot = outputRoot;
    this.pollInterval = pollInterval;
    this.settle = settle;
  }

  public static WatchForVideos from(WatchOptions options, String outputRoot) {
    return new WatchForVideos(
        options.getWatch(),
        outputRoot,
        Duration.standardSeconds(options.getWatchIntervalSeconds()),
        Duration.standardSeconds(options.getWatchSettleSeconds()));
  }

  /** The file pattern listed on each poll: the files directly inside the folder or prefix. */
  static String filePattern(String location) {
    return location.endsWith("/") ? location + "*" : location + "/*";
  }

  /**
   * Where anonymize writes the result for {@code input}: {@code OUTPUT/<name>/mosaic/<name>.mp4}.
   */
  public static String outputFor(String outputRoot, String input) {
    String name = Inputs.stem(input);
    String root = outputRoot.endsWith("/") ? outputRoot : outputRoot + "/";
    return root + name + "/mosaic/" + name + ".mp4";
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        // A tick per poll interval. (An unbounded source rather than Watch/PeriodicImpulse: those
        // splittable DoFns re-poll in a busy loop on Beam 2.70's Flink runner and do not cancel.)
        .apply("Tick", GenerateSequence.from(0).withRate(1, pollInterval))
        .apply(
            "ListSettledVideos",
            ParDo.of(new ListSettledVideos(filePattern(location), settle.getMillis())))
        .apply("FirstSightingOnly", ParDo.of(new FirstSightingOnly()))
        .apply("SkipInputsWithOutput", ParDo.of(new SkipInputsWithOutput(outputRoot)))
        .apply("WindowPerInput", Window.into(FixedWindows.of(Duration.millis(1))));
  }

  /** Drops inputs whose output already exists: they were finished before a restart. */
  static class SkipInputsWithOutput extends DoFn<String, String> {
    private final Counter found = Metrics.counter(WatchForVideos.class, "watchInputsFound");
    private final Counter skipped = Metrics.counter(WatchForVideos.class, "watchInputsAlreadyDone");
    private final String outputRoot;

    SkipInputsWithOutput(String outputRoot) {
      this.outputRoot = outputRoot;
    }

    @ProcessElement
    public void process(@Element String input, OutputReceiver<String> out) throws IOException {
      found.inc();
      String output = outputFor(outputRoot, input);
      if (LocalFiles.matchExisting(output).isPresent()) {
        skipped.inc();
        LOG.info("watch: {} already has its output {}; skipped", input, output);
        return;
      }
      LOG.info("watch: new input {}", input);
      out.output(input);
    }
  }
}
