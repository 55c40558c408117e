package org.mosaicbeam.anonymize.watch;

import java.io.File;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.mosaicbeam.anonymize.AnonymizePipeline;
import org.mosaicbeam.anonymize.AnonymizeVideos;
import org.mosaicbeam.anonymize.ReportResults;
import org.mosaicbeam.anonymize.VerifyOutputs;
import org.mosaicbeam.anonymize.VideoResult;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.io.LocalFiles;

/**
 * {@code anonymize --watch=DIR|s3://bucket/prefix/}: the streaming form of the pipeline, the
 * analogue of an S3-put trigger. The graph of a batch run with {@link WatchForVideos} in place of a
 * fixed list ({@link #build}): {@code WatchForVideos → AnonymizeVideos → ReportResults}. Each new
 * video is written to {@code OUTPUT/<name>/mosaic/<name>.mp4}, its result to {@code results.jsonl}
 * and its run page ({@code report.html}) beside it, and to the log; a failing input is reported and
 * counted (AnonymizeVideos' failedVideos) and the stream goes on. Runs until cancelled (Ctrl-C, or
 * cancel the job in Flink's web UI).
 */
public final class AnonymizeWatch {
  private AnonymizeWatch() {}

  /**
   * Starts the stream; with the DirectRunner or an attached Flink job, waits until it is cancelled.
   */
  public static void run(WatchOptions options, DetectorFactory detectors) throws Exception {
    PipelineResult result = pipeline(options, detectors).run();
    if (options.getRunner().getSimpleName().equals("FlinkRunner")
        && !options.as(FlinkPipelineOptions.class).getAttachedMode()) {
      System.err.println(
          "anonymize: submitted; the stream runs on the cluster until its job is cancelled");
    } else {
      result.waitUntilFinish();
    }
  }

  /** The streaming pipeline, checked and built, not yet started. */
  static Pipeline pipeline(WatchOptions options, DetectorFactory detectors) {
    FileSystems.setDefaultPipelineOptions(options);
    if (options.getOutput() == null) {
      throw new UserError("missing --output=DIR|s3://... (--watch has no default output)");
    }
    String outputRoot =
        options.getOutput().endsWith("/") ? options.getOutput() : options.getOutput() + "/";
    // Segment packet files live here while a video is in flight (AnonymizeVideos deletes them).
    String workDir = outputRoot + ".mosaicbeam-work/";
    Pipeline p = Pipeline.create(options);
    build(p, options, outputRoot, workDir, detectors); // a bad flag fails here
    if (LocalFiles.isLocal(workDir)) {
      new File(workDir).mkdirs();
    }
    System.err.printf(
        "anonymize: watching %s every %ds (settled for %ds); writing %s<name>/mosaic/<name>.mp4; "
            + "stop with Ctrl-C or by cancelling the job%n",
        options.getWatch(),
        options.getWatchIntervalSeconds(),
        options.getWatchSettleSeconds(),
        outputRoot);
    return p;
  }

  /** The graph of the stream, nothing else. */
  static void build(
      Pipeline p,
      WatchOptions options,
      String outputRoot,
      String workDir,
      DetectorFactory detectors) {
    AnonymizeVideos.registerCoders(p);
    SerializableFunction<String, String> outputFor =
        input -> WatchForVideos.outputFor(outputRoot, input);
    PCollection<VideoResult> results =
        p.apply("WatchForVideos", WatchForVideos.from(options, outputRoot))
            .apply(
                "AnonymizeVideos",
                AnonymizeVideos.from(options, outputFor, workDir, detectors).withAudit());
    if (options.getVerify()) {
      results =
          results.apply(
              "VerifyOutputs", new VerifyOutputs(out -> out, detectors, options.getVerifyEvery()));
    }
    results.apply(
        "ReportResults", ReportResults.each(r -> reportFor(outputRoot, r.video()), workDir));
  }

  /** A stream's report of one input: {@code OUTPUT/<name>/mosaic/results.jsonl}, beside its MP4. */
  static String reportFor(String outputRoot, String input) {
    String output = WatchForVideos.outputFor(outputRoot, input);
    return output.substring(0, output.lastIndexOf('/') + 1) + AnonymizePipeline.REPORT;
  }
}
