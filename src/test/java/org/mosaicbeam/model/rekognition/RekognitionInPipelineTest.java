package org.mosaicbeam.model.rekognition;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Box;

/**
 * The detector inside a Beam DoFn on the DirectRunner, configured from the command line: the
 * settings (with the credentials provider) survive DoFn serialization, the gate holds across the
 * runner's DoFn instances and threads, the counters arrive as Beam metrics, and with faults a frame
 * is either examined or goes to the failure output — never silently empty.
 */
class RekognitionInPipelineTest {
  static final TupleTag<String> EXAMINED = new TupleTag<>() {};
  static final TupleTag<Integer> FAILED = new TupleTag<>() {};

  /** Stand-in for the anonymize pipeline's detection step. */
  static final class DetectFn extends DoFn<Integer, String> {
    private final RekognitionSettings settings;
    private transient RekognitionDetector detector;

    DetectFn(RekognitionSettings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      detector = new RekognitionDetector(settings);
    }

    @ProcessElement
    public void process(@Element Integer frame, MultiOutputReceiver out) {
      try (Mat bgr = new Mat(120, 160, CV_8UC3, new Scalar(frame % 255, 60, 90, 0))) {
        List<Detection> found = detector.detect(bgr);
        out.get(EXAMINED).output(frame + ":" + found);
      } catch (Exception e) {
        out.get(FAILED).output(frame);
      }
    }
  }

  @Test
  void detectorRunsInADoFnWithBeamMetricsAndFailsClosedUnderFaults() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    try (RekognitionProtocolServer server = RekognitionProtocolServer.start();
        AutoCloseable creds = RekognitionProtocolServer.dummyCredentialsInSystemProperties()) {
      server.setFaultPolicy(RekognitionProtocolServer.randomFaults(7, 0.30, 0.05));
      server.onDetectFaces(r -> List.of(new Box(0.5, 0.5, 0.25, 0.25, 97)));
      List<String> args = new ArrayList<>(server.awsArgs());
      args.addAll(
          List.of(
              "--maxConcurrentCalls=2",
              "--rekognitionMaxRetries=2",
              "--rekognitionBaseBackoffMillis=5",
              "--targetParallelism=4"));
      RekognitionOptions options = Cli.parse(args.toArray(new String[0]), RekognitionOptions.class);
      RekognitionSettings settings = RekognitionSettings.from(options, true, 0.5f, false, 0.5f);

      System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
      List<Integer> frames = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        frames.add(i);
      }
      Pipeline p = Pipeline.create(options);
      PCollectionTuple results =
          p.apply(Create.of(frames))
              .apply(
                  "Detect",
                  ParDo.of(new DetectFn(settings))
                      .withOutputTags(EXAMINED, TupleTagList.of(FAILED)));
      PipelineResult result = p.run();
      result.waitUntilFinish();

      RekognitionStats.Snapshot counters = RekognitionStats.fromMetrics(result.metrics());
      List<RekognitionProtocolServer.Recorded> requests = server.requests("DetectFaces");
      long ok = requests.stream().filter(r -> r.status() == 200).count();
      long throttled = requests.stream().filter(r -> r.status() == 400).count();

      assertEquals(120L, counters.faceCalls());
      assertEquals(ok, counters.faceImagesBilled(), "examined = answered by the service");
      assertEquals(120L - ok, counters.failedCalls(), "the rest failed closed");
      assertEquals(requests.size() - 120L, counters.retries());
      assertEquals(throttled, counters.throttles());
      assertTrue(counters.summary(0.001).startsWith("rekognition: 120 calls"));
      assertTrue(server.maxInFlight() <= 2, "gate shared by the runner's DoFn instances");
      assertTrue(
          requests.stream()
              .allMatch(
                  r -> r.header("Authorization").contains(RekognitionProtocolServer.ACCESS_KEY_ID)),
          "signed with the credentials from the default chain");
    } finally {
      System.setOut(realOut);
      System.setErr(realErr);
    }
    String logs = console.toString(StandardCharsets.UTF_8);
    realOut.print(logs);
    assertFalse(logs.contains(RekognitionProtocolServer.SECRET_KEY), "secret in logs");
  }
}
