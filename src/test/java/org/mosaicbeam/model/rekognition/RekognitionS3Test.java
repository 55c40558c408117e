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
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mosaicbeam.io.S3ProxyServer;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Box;
import org.mosaicbeam.training.TrainCommand;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The two places the Rekognition code touches S3, against a real S3-compatible server (S3Proxy):
 * {@code train evaluate} reads the training summary from the S3 object Rekognition names, and
 * {@code --stageFramesTo} puts a frame in S3 only for the duration of its call.
 */
class RekognitionS3Test {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  @Test
  void evaluateReadsTheTrainingSummaryFromS3() throws Exception {
    S3.createBucket("out-bucket");
    try (S3Client s3 = S3.client()) {
      s3.putObject(
          b -> b.bucket("out-bucket").key("training/EvaluationResultSummary.json"),
          RequestBody.fromString(
              """
              {"Version": 1,
               "AggregatedEvaluationResults": {"F1Score": 0.8, "Precision": 0.9, "Recall": 0.72},
               "EvaluationDetails": {"NumberOfTestingImages": 50, "NumberOfTrainingImages": 200},
               "LabelEvaluationResults": [
                 {"Label": "vehicle_registration_plate", "NumberOfTestingImages": 50,
                  "Metrics": {"F1Score": 0.8, "Precision": 0.9, "Recall": 0.72, "Threshold": 0.5}}]}
              """));
    }
    try (RekognitionProtocolServer server = RekognitionProtocolServer.start();
        AutoCloseable creds = RekognitionProtocolServer.dummyCredentialsInSystemProperties()) {
      String arn = server.addModel("plates", "v1", "TRAINING_COMPLETED");
      server.setEvaluation(arn, 0.8, "out-bucket", "training/EvaluationResultSummary.json");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "evaluate", "--projectArn=" + server.projectArn("plates"), "--versionName=v1"));
      args.addAll(server.awsArgs());
      args.addAll(S3.storageArgs()); // S3 on S3Proxy, Rekognition on the protocol server
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          TrainCommand.run(
              args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8));
      String text = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, status, text);
      assertTrue(text.contains("s3://out-bucket/training/EvaluationResultSummary.json"), text);
      assertTrue(
          text.matches(
              "(?s).*vehicle_registration_plate\\s+0\\.800\\s+0\\.900\\s+0\\.720\\s+0\\.500\\s+50.*"),
          text);
    }
  }

  @Test
  void stagedFramesLiveInS3OnlyDuringTheirCall() throws Exception {
    S3.options(); // installs the S3Proxy-backed s3:// filesystem in Beam FileSystems
    S3.createBucket("frames");
    try (RekognitionProtocolServer server = RekognitionProtocolServer.start();
        S3Client s3 = S3.client()) {
      List<Integer> objectsDuringCall = new ArrayList<>();
      server.onDetectFaces(
          r -> {
            objectsDuringCall.add(s3.listObjectsV2(b -> b.bucket("frames")).keyCount());
            return List.of(new Box(0.25, 0.25, 0.5, 0.5, 99));
          });
      RekognitionSettings staged =
          new RekognitionSettings(
              ClientConfiguration.create(
                  RekognitionProtocolServer.credentials(), Region.US_EAST_1, server.endpoint()),
              2,
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
              "s3://frames/staging/",
              1920,
              90);
      try (RekognitionDetector detector = new RekognitionDetector(staged);
          Mat frame = new Mat(240, 320, CV_8UC3, new Scalar(10, 200, 30, 0))) {
        assertEquals(
            List.of(new Detection(Detection.FACE, 0.99f, 80, 60, 160, 120)),
            detector.detect(frame));
      }
      RekognitionProtocolServer.Recorded call = server.requests("DetectFaces").get(0);
      assertFalse(call.body().path("Image").has("Bytes"), "an S3 reference instead of bytes");
      assertEquals("frames", call.body().path("Image").path("S3Object").path("Bucket").asText());
      assertTrue(
          call.body()
              .path("Image")
              .path("S3Object")
              .path("Name")
              .asText()
              .matches("staging/[0-9a-f-]{36}\\.jpg"));
      assertEquals(List.of(1), objectsDuringCall, "the frame was in S3 while Rekognition looked");
      assertEquals(0, s3.listObjectsV2(b -> b.bucket("frames")).keyCount(), "and deleted after");
    }
  }
}
