package org.mosaicbeam.model.rekognition;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Box;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Fault;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Recorded;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.model.ResourceNotReadyException;
import software.amazon.awssdk.services.rekognition.model.ThrottlingException;

/** The Rekognition backend against the local protocol server, through the real SDK client. */
class RekognitionDetectorTest {
  private static final String PLATE = "vehicle_registration_plate";
  private RekognitionProtocolServer server;
  private String model;

  @BeforeEach
  void start() throws Exception {
    server = RekognitionProtocolServer.start();
    model = server.addModel("plates", "v1", "RUNNING");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Settings for this server; each distinct value gets its own per-JVM gate and client. */
  private RekognitionSettings settings(
      boolean faces, boolean plates, int maxConcurrent, double perSecond, int retries) {
    return new RekognitionSettings(
        ClientConfiguration.create(
            RekognitionProtocolServer.credentials(), Region.US_EAST_1, server.endpoint()),
        retries,
        5,
        maxConcurrent,
        perSecond,
        faces,
        0.5f,
        plates,
        0.6f,
        model,
        List.of(PLATE),
        0.001,
        null,
        1920,
        90);
  }

  private static Mat frame(int width, int height) {
    return new Mat(height, width, CV_8UC3, new Scalar(40, 120, 200, 0));
  }

  @Test
  void mapsFaceAndPlateBoxesToPixelsAndSendsBytesOnly() throws Exception {
    server.onDetectFaces(
        r -> List.of(new Box(0.25, 0.25, 0.5, 0.5, 99.5), new Box(0, 0, .1, .1, 30)));
    server.onDetectCustomLabels(PLATE, r -> List.of(new Box(-0.05, 0.9, 0.2, 0.2, 91.0)));
    try (RekognitionDetector detector = new RekognitionDetector(settings(true, true, 4, 0, 2))) {
      List<Detection> found = detector.detect(frame(640, 360));
      assertEquals(
          List.of(
              new Detection(Detection.FACE, 0.995f, 160, 90, 320, 180),
              // sticks out left and bottom: clamped to the frame, rounded outwards
              new Detection(Detection.PLATE, 0.91f, 0, 324, 96, 36)),
          found);
    }
    Recorded faces = server.requests("DetectFaces").get(0);
    Recorded plates = server.requests("DetectCustomLabels").get(0);
    assertEquals(model, plates.body().path("ProjectVersionArn").asText());
    assertEquals(60.0, plates.body().path("MinConfidence").asDouble(), 1e-3);
    for (Recorded r : List.of(faces, plates)) {
      assertFalse(r.body().path("Image").has("S3Object"), "no frame goes to S3 unless asked");
      Mat sent = imdecode(new Mat(r.imageBytes()), IMREAD_COLOR);
      assertEquals(640, sent.cols());
      assertEquals(360, sent.rows());
      assertTrue(r.header("Authorization").startsWith("AWS4-HMAC-SHA256"));
    }
  }

  @Test
  void otherCustomLabelsAndLowConfidenceFacesAreIgnored() throws Exception {
    server.onDetectFaces(r -> List.of(new Box(0.1, 0.1, 0.2, 0.2, 49.0)));
    server.onDetectCustomLabels("car", r -> List.of(new Box(0.1, 0.1, 0.2, 0.2, 99.0)));
    try (RekognitionDetector detector = new RekognitionDetector(settings(true, true, 4, 0, 2))) {
      assertEquals(List.of(), detector.detect(frame(320, 240)));
    }
  }

  @Test
  void largeFramesAreDownscaledBelowTheByteLimitAndBoxesMappedBack() throws Exception {
    Mat noise = new Mat(3000, 4000, CV_8UC3);
    randu(
        noise,
        new Mat(1, 1, org.bytedeco.opencv.global.opencv_core.CV_64F, new Scalar(0)),
        new Mat(1, 1, org.bytedeco.opencv.global.opencv_core.CV_64F, new Scalar(255)));
    JpegFrame full = JpegFrame.encode(noise, 4096, 95, Integer.MAX_VALUE);
    assertTrue(full.bytes().length > JpegFrame.MAX_BYTES, "test frame must exceed the limit");

    server.onDetectFaces(r -> List.of(new Box(0.5, 0.5, 0.25, 0.25, 99)));
    RekognitionSettings s = settings(true, false, 4, 0, 1);
    RekognitionSettings big =
        new RekognitionSettings(
            s.client(),
            1,
            5,
            4,
            0,
            true,
            0.5f,
            false,
            0.5f,
            null,
            List.of(),
            0.001,
            null,
            4096,
            95);
    try (RekognitionDetector detector = new RekognitionDetector(big)) {
      assertEquals(
          List.of(new Detection(Detection.FACE, 0.99f, 2000, 1500, 1000, 750)),
          detector.detect(noise));
    }
    byte[] sent = server.requests("DetectFaces").get(0).imageBytes();
    assertTrue(sent.length < JpegFrame.MAX_BYTES, "sent " + sent.length + " bytes");
    Mat decoded = imdecode(new Mat(sent), IMREAD_COLOR);
    assertTrue(decoded.cols() < 4000 && decoded.cols() >= 80);
    assertEquals(4000.0 / 3000.0, (double) decoded.cols() / decoded.rows(), 0.01);
  }

  @Test
  void concurrencyNeverExceedsTheLimitAcrossDetectorsInOneJvm() throws Exception {
    server.setLatency(java.time.Duration.ofMillis(60));
    int limit = 3;
    RekognitionSettings s = settings(true, false, limit, 0, 2);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(
          threads.submit(
              () -> {
                try (RekognitionDetector d =
                    new RekognitionDetector(s)) { // one per "DoFn instance"
                  for (int i = 0; i < 5; i++) {
                    d.detect(frame(160, 120));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertEquals(40, server.requests("DetectFaces").size());
    assertEquals(limit, server.maxInFlight(), "in flight must reach but never pass the limit");
  }

  @Test
  void throttlesAndServerErrorsNeverLoseAFrameOrReportAnUnexaminedOne() throws Exception {
    server.setFaultPolicy(RekognitionProtocolServer.randomFaults(5, 0.30, 0.05));
    server.onDetectFaces(r -> List.of(new Box(0.25, 0.25, 0.5, 0.5, 99)));
    RekognitionSettings s = settings(true, false, 4, 0, 3);
    RekognitionStats.Snapshot before = RekognitionStats.snapshot();
    int frames = 200;
    AtomicInteger examined = new AtomicInteger();
    AtomicInteger failedClosed = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(6);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      int first = t;
      futures.add(
          threads.submit(
              () -> {
                try (RekognitionDetector d = new RekognitionDetector(s)) {
                  for (int i = first; i < frames; i += 6) {
                    try {
                      List<Detection> found = d.detect(frame(160, 120));
                      // examined: exactly the service's answer, never an empty list from a failed
                      // call
                      assertEquals(
                          List.of(new Detection(Detection.FACE, 0.99f, 40, 30, 80, 60)), found);
                      examined.incrementAndGet();
                    } catch (SdkException e) {
                      failedClosed.incrementAndGet();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(90, TimeUnit.SECONDS);
    }
    threads.shutdown();
    RekognitionStats.Snapshot stats = RekognitionStats.snapshot().minus(before);
    List<Recorded> requests = server.requests("DetectFaces");
    long throttled = requests.stream().filter(r -> r.status() == 400).count();
    long ok = requests.stream().filter(r -> r.status() == 200).count();

    assertEquals(frames, examined.get() + failedClosed.get(), "every frame accounted for");
    assertEquals(ok, examined.get(), "a frame counts as examined only if the service answered");
    assertEquals(frames, stats.faceCalls());
    assertEquals(failedClosed.get(), stats.failedCalls());
    assertEquals(requests.size() - frames, stats.retries(), "retries = extra requests");
    assertEquals(throttled, stats.throttles());
    long serverErrors = requests.stream().filter(r -> r.status() >= 500).count();
    double throttleShare = (double) throttled / requests.size();
    assertTrue(throttleShare > 0.2 && throttleShare < 0.4, "throttled share " + throttleShare);
    assertTrue(serverErrors > 0, "the fault script must also answer 5xx");
    assertTrue(examined.get() > frames * 0.9, "retries recover most frames: " + examined.get());
    assertTrue(server.maxInFlight() <= 4);
    System.out.printf(
        "%d requests: %d throttled, %d 5xx; %d frames examined, %d failed closed%n",
        requests.size(), throttled, serverErrors, examined.get(), failedClosed.get());
    System.out.println(stats.summary(0.001));
  }

  @Test
  void afterTheLastRetryTheFrameFailsClosed() throws Exception {
    server.failNext("DetectFaces", 10, Fault.throttling());
    RekognitionStats.Snapshot before = RekognitionStats.snapshot();
    try (RekognitionDetector d = new RekognitionDetector(settings(true, false, 4, 0, 2))) {
      assertThrows(ThrottlingException.class, () -> d.detect(frame(160, 120)));
    }
    RekognitionStats.Snapshot stats = RekognitionStats.snapshot().minus(before);
    assertEquals(3, server.requests("DetectFaces").size(), "1 call + 2 retries");
    assertEquals(2, stats.retries());
    assertEquals(3, stats.throttles());
    assertEquals(1, stats.failedCalls());
    assertEquals(0, stats.faceImagesBilled());
  }

  @Test
  void limitExceededAndServerErrorsAreRetried() throws Exception {
    server.failNext("DetectFaces", 1, Fault.limitExceeded());
    server.failNext("DetectFaces", 1, Fault.provisionedThroughputExceeded());
    server.failNext("DetectFaces", 1, Fault.serverError(503));
    try (RekognitionDetector d = new RekognitionDetector(settings(true, false, 4, 0, 3))) {
      assertEquals(List.of(), d.detect(frame(160, 120)));
    }
    assertEquals(
        List.of(400, 400, 503, 200),
        server.requests("DetectFaces").stream().map(Recorded::status).toList());
  }

  @Test
  void aStoppedModelFailsClosedWithoutRetrying() throws Exception {
    String stopped = server.addModel("plates", "v2", "STOPPED");
    RekognitionSettings s = settings(false, true, 4, 0, 3);
    RekognitionSettings toStopped =
        new RekognitionSettings(
            s.client(),
            3,
            5,
            4,
            0,
            false,
            0.5f,
            true,
            0.5f,
            stopped,
            List.of(PLATE),
            0.001,
            null,
            1920,
            90);
    try (RekognitionDetector d = new RekognitionDetector(toStopped)) {
      assertThrows(ResourceNotReadyException.class, () -> d.detect(frame(160, 120)));
    }
    assertEquals(1, server.requests("DetectCustomLabels").size());
  }

  @Test
  void callsPerSecondIsEnforcedOnEveryAttempt() throws Exception {
    server.failNext("DetectFaces", 4, Fault.throttling());
    try (RekognitionDetector d = new RekognitionDetector(settings(true, false, 4, 10, 6))) {
      long start = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        d.detect(frame(160, 120));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // 12 HTTP requests (8 calls + 4 retries) at 10/s: the limiter's first permit is free
      assertEquals(12, server.requests("DetectFaces").size());
      assertTrue(seconds >= 1.0, "12 requests at 10/s took only " + seconds + " s");
    }
  }

  @Test
  void settingsNeverPrintCredentials() {
    String text = settings(true, false, 4, 0, 2).toString();
    assertFalse(text.contains(RekognitionProtocolServer.SECRET_KEY), text);
    assertNull(settings(true, false, 4, 0, 2).stageFramesTo());
  }
}
