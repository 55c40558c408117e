package org.mosaicbeam.anonymize;

import java.io.File;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.mosaicbeam.anonymize.watch.WatchForVideos;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.model.DetectorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anonymize --watch=DIR|s3://bucket/prefix/}: the streaming form of the pipeline, the
 * analogue of an S3-put trigger. The same AnonymizeVideos transform as a batch run, fed by {@link
 * WatchForVideos} instead of a fixed list; each new video is written to {@code
 * OUTPUT/<name>/mosaic/<name>.mp4}. A failing input is logged and counted and the stream goes on.
 * Runs until cancelled (Ctrl-C, or cancel the job in Flink's web UI).
 */
final class AnonymizeWatch {
  private static final Logger LOG = LoggerFactory.getLogger(AnonymizeWatch.class);

  private AnonymizeWatch() {}

  static AnonymizePipeline.Summary run(AnonymizeOptions options, DetectorFactory detectors)
      throws Exception {
    long start = System.nanoTime();
    PipelineResult result = build(options, detectors).run();
    if (options.getRunner().getSimpleName().equals("FlinkRunner")
        && !options.as(FlinkPipelineOptions.class).getAttachedMode()) {
      System.err.println("anonymize: submitted; the stream runs on the cluster until its job is cancelled");
    } else {
      result.waitUntilFinish();
    }
    return new AnonymizePipeline.Summary(List.of(), List.of(), 0, 0, 0, (System.nanoTime() - start) / 1e9,
        List.of());
  }

  /** The streaming pipeline, not yet started. */
  static Pipeline build(AnonymizeOptions options, DetectorFactory detectors) {
    FileSystems.setDefaultPipelineOptions(options);
    SegmentWorker.Config config = AnonymizePipeline.config(options);
    String outputRoot = options.getOutput().endsWith("/") ? options.getOutput() : options.getOutput() + "/";
    // Segment packet files live here while a video is in flight (AnonymizeVideos deletes them).
    String workDir = outputRoot + ".mosaicbeam-work/";
    if (LocalFiles.isLocal(workDir)) {
      new File(workDir).mkdirs();
    }
    SerializableFunction<String, String> outputFor = input -> WatchForVideos.outputFor(outputRoot, input);
    System.err.printf("anonymize: watching %s every %ds (settled for %ds); writing %s<name>/mosaic/<name>.mp4; "
            + "stop with Ctrl-C or by cancelling the job%n",
        options.getWatch(), options.getWatchIntervalSeconds(), options.getWatchSettleSeconds(), outputRoot);
    Pipeline p = Pipeline.create(options);
    p.apply("WatchForVideos", WatchForVideos.from(options, outputRoot))
        .apply("MakeOutputFolder", ParDo.of(new MakeOutputFolder(outputFor)))
        .apply("AnonymizeVideos", new AnonymizeVideos(outputFor, workDir, options.getSegmentFrames(),
            config, detectors, options.getAudio() != AnonymizeOptions.Audio.DROP, false))
        .apply("Report", ParDo.of(new Report()));
    return p;
  }

  /** Creates {@code OUTPUT/<name>/mosaic/} for a local output (the MP4 writer needs the folder). */
  static class MakeOutputFolder extends DoFn<String, String> {
    private final SerializableFunction<String, String> outputFor;

    MakeOutputFolder(SerializableFunction<String, String> outputFor) {
      this.outputFor = outputFor;
    }

    @ProcessElement
    public void process(@Element String input, OutputReceiver<String> out) {
      String output = outputFor.apply(input);
      if (LocalFiles.isLocal(output)) {
        LocalFiles.localFile(output).getAbsoluteFile().getParentFile().mkdirs();
      }
      out.output(input);
    }
  }

  /** Logs each finished input: "OK input -> output ..." or "FAILED input: reason". */
  static class Report extends DoFn<String, Void> {
    private final Counter failed = Metrics.counter(AnonymizeWatch.class, "watchInputsFailed");
    private final Counter written = Metrics.counter(AnonymizeWatch.class, "watchInputsWritten");

    @ProcessElement
    public void process(@Element String line) {
      if (line.startsWith("FAILED")) {
        failed.inc();
        LOG.warn("anonymize --watch: {}", line);
      } else {
        written.inc();
        LOG.info("anonymize --watch: {}", line);
      }
    }
  }
}
