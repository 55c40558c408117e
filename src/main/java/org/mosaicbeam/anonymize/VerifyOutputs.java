package org.mosaicbeam.anonymize;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.model.Detector;

/**
 * {@code anonymize --verify}: runs {@code verify} on each video just written (its staged copy in a
 * batch run) and adds the counts to its result, so that they reach {@code results.jsonl}. A failed
 * video passes through as it is.
 */
public final class VerifyOutputs
    extends PTransform<PCollection<VideoResult>, PCollection<VideoResult>> {
  private final SerializableFunction<String, String> stagedPath;
  private final DetectorFactory detectors;
  private final int every;

  /**
   * @param stagedPath where each output was written for now (null or identity: at its name)
   */
  public VerifyOutputs(
      SerializableFunction<String, String> stagedPath, DetectorFactory detectors, int every) {
    this.stagedPath = stagedPath;
    this.detectors = detectors;
    this.every = every;
  }

  @Override
  public PCollection<VideoResult> expand(PCollection<VideoResult> results) {
    return results
        .apply("Verify", ParDo.of(new VerifyFn(stagedPath, detectors, every)))
        .setCoder(results.getCoder());
  }

  static class VerifyFn extends DoFn<VideoResult, VideoResult> {
    private final Counter withFindings = Metrics.counter(VerifyOutputs.class, "videosWithFindings");
    private final Counter findings = Metrics.counter(VerifyOutputs.class, "findings");
    private final SerializableFunction<String, String> stagedPath;
    private final DetectorFactory detectors;
    private final int every;
    private transient Detector detector;

    VerifyFn(
        SerializableFunction<String, String> stagedPath, DetectorFactory detectors, int every) {
      this.stagedPath = stagedPath;
      this.detectors = detectors;
      this.every = every;
    }

    @ProcessElement
    public void process(
        @Element VideoResult r, OutputReceiver<VideoResult> out, PipelineOptions options)
        throws Exception {
      if (!r.written()) {
        out.output(r);
        return;
      }
      if (detector == null) {
        detector = detectors.create(options.as(DetectorOptions.class));
      }
      String staged = stagedPath.apply(r.output()); // the output as written for now
      VideoVerifier.Report report =
          VideoVerifier.verify(
              r.output(),
              staged == null ? r.output() : staged,
              detector,
              every,
              VideoVerifier.MIN_CONFIDENCE,
              f -> {});
      findings.inc(report.findings());
      withFindings.inc(report.findings() > 0 ? 1 : 0);
      out.output(r.withVerify(report));
    }

    @Teardown
    public void teardown() throws Exception {
      if (detector != null) {
        detector.close();
      }
    }
  }
}
