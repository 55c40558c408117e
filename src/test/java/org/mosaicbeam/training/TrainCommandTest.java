package org.mosaicbeam.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Recorded;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Step;

/**
 * The {@code train} actions against the Rekognition protocol server through the real SDK client:
 * the requests they send, how they handle every model status, and that the (dummy) secret key never
 * reaches their output, stdout or stderr.
 */
class TrainCommandTest {
  /** Everything written to System.out / System.err during the whole class. */
  private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();

  private static PrintStream realOut;
  private static PrintStream realErr;

  private RekognitionProtocolServer server;
  private AutoCloseable credentials;

  @BeforeAll
  static void captureConsole() {
    realOut = System.out;
    realErr = System.err;
    System.setOut(new PrintStream(new Tee(realOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(realErr), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void credentialsNeverReachedTheConsole() {
    System.setOut(realOut);
    System.setErr(realErr);
    String console = CONSOLE.toString(StandardCharsets.UTF_8);
    assertFalse(console.contains(RekognitionProtocolServer.SECRET_KEY), "secret on the console");
    assertFalse(console.isEmpty(), "the capture must have seen the commands' output");
  }

  @BeforeEach
  void start() throws Exception {
    server = RekognitionProtocolServer.start();
    credentials = RekognitionProtocolServer.dummyCredentialsInSystemProperties();
  }

  @AfterEach
  void stop() throws Exception {
    credentials.close();
    server.close();
  }

  record Result(int status, String output) {}

  private Result train(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(server.awsArgs());
    all.add("--pollInterval=10ms");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = TrainCommand.run(all.toArray(new String[0]), new PrintStream(new Tee(out), true));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains(RekognitionProtocolServer.SECRET_KEY), "secret in output: " + text);
    return new Result(status, text);
  }

  @Test
  void createProjectSendsItsNameAndPrintsTheArn() throws Exception {
    Result r = train("create-project", "--projectName=plates");
    assertEquals(0, r.status());
    Recorded req = server.requests("CreateProject").get(0);
    assertEquals("plates", req.body().path("ProjectName").asText());
    assertTrue(r.output().contains("project ARN: " + server.projectArn("plates")), r.output());
    assertTrue(r.output().contains("free"), "says what it costs");
    assertTrue(req.header("Authorization").contains(RekognitionProtocolServer.ACCESS_KEY_ID));

    Result again = train("create-project", "--projectName=plates");
    assertEquals(1, again.status());
    assertTrue(again.output().contains("ResourceInUseException"), again.output());
  }

  @Test
  void createDatasetsFromTrainAndTestManifests() throws Exception {
    String project = projectArn();
    List<Recorded> creates =
        createDatasets(
            project,
            "--manifest=s3://bucket/oid/train.manifest",
            "--testManifest=s3://bucket/oid/test.manifest");
    assertEquals(2, creates.size());
    assertDataset(creates.get(0).body(), project, "TRAIN", "bucket", "oid/train.manifest");
    assertDataset(creates.get(1).body(), project, "TEST", "bucket", "oid/test.manifest");
    assertEquals(2, server.requests("DescribeDataset").size(), "waits for each dataset");
    assertTrue(server.requests("DistributeDatasetEntries").isEmpty());
  }

  @Test
  void createDatasetsWithAutoSplitDistributesIntoAnEmptyTestDataset() throws Exception {
    String project = projectArn();
    List<Recorded> creates =
        createDatasets(project, "--manifest=s3://bucket/train.manifest", "--autoSplit");
    assertDataset(creates.get(0).body(), project, "TRAIN", "bucket", "train.manifest");
    assertEquals("TEST", creates.get(1).body().path("DatasetType").asText());
    assertFalse(creates.get(1).body().has("DatasetSource"), "the auto-split test set starts empty");
    JsonNode distribute = server.requests("DistributeDatasetEntries").get(0).body();
    assertEquals(2, distribute.path("Datasets").size());
    assertTrue(distribute.path("Datasets").get(0).path("Arn").asText().contains("/dataset/train/"));
    assertTrue(distribute.path("Datasets").get(1).path("Arn").asText().contains("/dataset/test/"));
  }

  @Test
  void createDatasetsNeedsExactlyOneWayToGetATestSet() throws Exception {
    String project = projectArn();
    assertThrows(
        UserError.class,
        () ->
            train(
                "create-datasets",
                "--projectArn=" + project,
                "--manifest=s3://bucket/train.manifest"));
    assertThrows(
        UserError.class,
        () ->
            train(
                "create-datasets",
                "--projectArn=" + project,
                "--manifest=s3://bucket/train.manifest",
                "--autoSplit",
                "--testManifest=s3://b/t"));
    assertThrows(
        UserError.class,
        () ->
            train(
                "create-datasets",
                "--projectArn=" + project,
                "--manifest=/local/train.manifest",
                "--autoSplit"));
    assertTrue(server.requests("CreateDataset").isEmpty());
  }

  @Test
  void startTrainingThenStatusPollsUntilCompleted() throws Exception {
    String project = projectArn();
    server.scriptTraining(
        Step.of("TRAINING_IN_PROGRESS"),
        Step.of("TRAINING_IN_PROGRESS"),
        Step.of("TRAINING_IN_PROGRESS"),
        Step.of("TRAINING_COMPLETED"));
    Result started =
        train(
            "start-training",
            "--projectArn=" + project,
            "--versionName=v1",
            "--outputS3=s3://out-bucket/training/");
    assertEquals(0, started.status());
    JsonNode req = server.requests("CreateProjectVersion").get(0).body();
    assertEquals(project, req.path("ProjectArn").asText());
    assertEquals("v1", req.path("VersionName").asText());
    assertEquals("out-bucket", req.path("OutputConfig").path("S3Bucket").asText());
    assertEquals("training/", req.path("OutputConfig").path("S3KeyPrefix").asText());
    assertTrue(started.output().contains("$1.00/h"), started.output());
    String version =
        started
            .output()
            .lines()
            .filter(l -> l.startsWith("model version ARN: "))
            .findFirst()
            .orElseThrow()
            .substring("model version ARN: ".length());
    server.setBillableTrainingSeconds(version, 5400);

    Result status = train("status", "--projectArn=" + project, "--versionName=v1");
    assertEquals(0, status.status(), status.output());
    assertEquals(4, server.requests("DescribeProjectVersions").size(), "polled until completed");
    assertTrue(status.output().contains("TRAINING_IN_PROGRESS: The model is being trained."));
    assertTrue(status.output().contains("TRAINING_COMPLETED: The model is ready to run."));
    assertTrue(
        status.output().contains("billable training time 1h 30m, about $1.50"), status.output());
  }

  @Test
  void statusOfAFailedTrainingPrintsTheMessageAndFails() throws Exception {
    String project = projectArn();
    server.scriptTraining(
        Step.of("TRAINING_IN_PROGRESS"),
        new Step("TRAINING_FAILED", "The manifest file contains too many invalid data objects."));
    assertEquals(
        0,
        train(
                "start-training",
                "--projectArn=" + project,
                "--versionName=bad",
                "--outputS3=s3://out/x/")
            .status());
    Result status = train("status", "--projectArn=" + project, "--versionName=bad");
    assertEquals(1, status.status());
    assertTrue(
        status
            .output()
            .contains(
                "TRAINING_FAILED: The manifest file contains too many invalid data objects."));
  }

  /** Every status a version can rest in, reached after passing through every moving one. */
  @ParameterizedTest
  @CsvSource({
    "TRAINING_COMPLETED, 0",
    "TRAINING_FAILED, 1",
    "RUNNING, 0",
    "STOPPED, 0",
    "FAILED, 1",
    "COPYING_COMPLETED, 0",
    "COPYING_FAILED, 1",
    "EXPIRED, 0"
  })
  void statusHandlesEveryStatus(String last, int exit) throws Exception {
    String project = projectArn();
    server.scriptTraining(
        Step.of("TRAINING_IN_PROGRESS"),
        Step.of("COPYING_IN_PROGRESS"),
        Step.of("STARTING"),
        Step.of("STOPPING"),
        Step.of("DELETING"),
        Step.of(last));
    assertEquals(
        0,
        train(
                "start-training",
                "--projectArn=" + project,
                "--versionName=v",
                "--outputS3=s3://out/x/")
            .status());
    Result r = train("status", "--projectArn=" + project, "--versionName=v");
    assertEquals(exit, r.status(), r.output());
    assertEquals(6, server.requests("DescribeProjectVersions").size());
    assertTrue(r.output().contains(last + ": "), r.output());

    Result once = train("status", "--projectArn=" + project, "--versionName=v", "--wait=false");
    assertEquals(exit, once.status());
    assertEquals(7, server.requests("DescribeProjectVersions").size(), "--wait=false polls once");
  }

  @Test
  void evaluatePrintsOverallAndPerLabelMetrics(@TempDir Path dir) throws Exception {
    String project = projectArn();
    String arn = server.addModel("plates", "v1", "TRAINING_COMPLETED");
    server.setEvaluation(
        arn, 0.912, "out-bucket", "training/EvaluationResultSummary-plates-v1.json");
    Path summary = dir.resolve("summary.json");
    Files.writeString(
        summary,
        """
        {"Version": 1,
         "AggregatedEvaluationResults": {"F1Score": 0.912, "Precision": 0.934, "Recall": 0.891},
         "EvaluationDetails": {"EvaluationEndTimestamp": "2026-11-21T07:30:23.910943",
           "Labels": ["vehicle_registration_plate"], "NumberOfTestingImages": 120,
           "NumberOfTrainingImages": 480, "ProjectVersionArn": "%s"},
         "LabelEvaluationResults": [{"Label": "vehicle_registration_plate",
           "NumberOfTestingImages": 120,
           "Metrics": {"F1Score": 0.912, "Precision": 0.934, "Recall": 0.891, "Threshold": 0.42}}]}
        """
            .formatted(arn));
    Result r =
        train(
            "evaluate",
            "--projectArn=" + project,
            "--versionName=v1",
            "--evaluationSummary=" + summary);
    assertEquals(0, r.status(), r.output());
    assertTrue(
        r.output().matches("(?s).*\\(overall\\)\\s+0\\.912\\s+0\\.934\\s+0\\.891\\s+-\\s+120.*"),
        r.output());
    assertTrue(
        r.output()
            .matches(
                "(?s).*vehicle_registration_plate\\s+0\\.912\\s+0\\.934\\s+0\\.891\\s+0\\.420\\s+120.*"),
        r.output());
    assertTrue(r.output().contains("trained on 480 images, tested on 120"));
  }

  @Test
  void evaluateBeforeTrainingCompletedIsAClearError() throws Exception {
    String project = projectArn();
    server.addModel("plates", "v1", "TRAINING_IN_PROGRESS");
    UserError e =
        assertThrows(
            UserError.class,
            () -> train("evaluate", "--projectArn=" + project, "--versionName=v1"));
    assertTrue(e.getMessage().contains("no evaluation results"), e.getMessage());
  }

  @Test
  void startModelWaitsUntilRunningAndPrintsTheHourlyCost() throws Exception {
    String project = projectArn();
    String arn = server.addModel("plates", "v1", "TRAINING_COMPLETED");
    server.scriptStart(Step.of("STARTING"), Step.of("STARTING"), Step.of("RUNNING"));
    Result r =
        train(
            "start-model", "--projectArn=" + project, "--versionName=v1", "--minInferenceUnits=2");
    assertEquals(0, r.status(), r.output());
    JsonNode req = server.requests("StartProjectVersion").get(0).body();
    assertEquals(arn, req.path("ProjectVersionArn").asText());
    assertEquals(2, req.path("MinInferenceUnits").asInt());
    assertFalse(req.has("MaxInferenceUnits"));
    assertEquals("RUNNING", server.versionStatus(arn));
    assertTrue(
        r.output().contains("$4.00/h (--pricePerInferenceUnitHour) x 2 unit(s) = $8.00/h"),
        r.output());
    assertTrue(r.output().contains("train stop-model"), "tells how to stop it");
    assertTrue(server.requests("StopProjectVersion").isEmpty());
  }

  @Test
  void startModelWithAutoStopStopsItAfterTheDuration() throws Exception {
    String project = projectArn();
    String arn = server.addModel("plates", "v1", "STOPPED");
    long start = System.nanoTime();
    Result r =
        train(
            "start-model",
            "--projectArn=" + project,
            "--versionName=v1",
            "--autoStopAfter=400ms",
            "--maxInferenceUnits=3");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, r.status(), r.output());
    assertEquals(
        3, server.requests("StartProjectVersion").get(0).body().path("MaxInferenceUnits").asInt());
    assertEquals(
        arn,
        server.requests("StopProjectVersion").get(0).body().path("ProjectVersionArn").asText());
    assertEquals("STOPPED", server.versionStatus(arn));
    assertTrue(seconds >= 0.4, "stopped too early: " + seconds);
    List<String> ops = server.operations();
    assertTrue(ops.indexOf("StartProjectVersion") < ops.indexOf("StopProjectVersion"));
    assertTrue(r.output().contains("--autoStopAfter reached"), r.output());
  }

  /**
   * The guard of --autoStopAfter when the command is interrupted: a real launcher JVM gets SIGTERM
   * while it waits, and its shutdown hook stops the model. (SIGKILL cannot be handled: README.)
   */
  @Test
  void anInterruptedAutoStopCommandStopsTheModel() throws Exception {
    String project = projectArn();
    String arn = server.addModel("plates", "v1", "STOPPED");
    String classpath =
        "target/classes"
            + java.io.File.pathSeparator
            + Files.readString(Path.of("target", "classpath.txt")).strip();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "org.mosaicbeam.cli.Main",
                "train",
                "start-model",
                "--projectArn=" + project,
                "--versionName=v1",
                "--autoStopAfter=1h",
                "--pollInterval=20ms"));
    cmd.addAll(server.awsArgs());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("AWS_ACCESS_KEY_ID", RekognitionProtocolServer.ACCESS_KEY_ID);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", RekognitionProtocolServer.SECRET_KEY);
    Process process = pb.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread pump =
        new Thread(
            () -> {
              try {
                process.getInputStream().transferTo(output);
              } catch (java.io.IOException ignored) {
                // process ended
              }
            });
    pump.start();
    long deadline = System.nanoTime() + 90_000_000_000L; // a JVM start on a busy 2-core box
    while (!output.toString(StandardCharsets.UTF_8).contains("model RUNNING")) {
      assertTrue(process.isAlive(), "launcher died: " + output);
      assertTrue(System.nanoTime() < deadline, "model never RUNNING: " + output);
      Thread.sleep(50);
    }
    assertTrue(server.requests("StopProjectVersion").isEmpty(), "not stopped before the signal");
    // SIGTERM through kill(1): Process.destroy() would also close our end of its output pipe
    assertEquals(
        0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
    assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    pump.join();
    String text = output.toString(StandardCharsets.UTF_8);
    assertEquals(
        arn,
        server.requests("StopProjectVersion").get(0).body().path("ProjectVersionArn").asText(),
        text);
    assertTrue(text.contains("interrupted, stopping the model"), text);
    assertFalse(text.contains(RekognitionProtocolServer.SECRET_KEY), text);
  }

  @Test
  void aModelThatFailsToStartIsReported() throws Exception {
    String project = projectArn();
    server.addModel("plates", "v1", "TRAINING_COMPLETED");
    server.scriptStart(Step.of("STARTING"), new Step("FAILED", "Insufficient capacity."));
    Result r =
        train("start-model", "--projectArn=" + project, "--versionName=v1", "--autoStopAfter=1h");
    assertEquals(1, r.status());
    assertTrue(
        r.output().contains("model did not start: FAILED: Insufficient capacity."), r.output());
  }

  @Test
  void stopModelStopsARunningModelAndLeavesAStoppedOneAlone() throws Exception {
    String project = projectArn();
    String arn = server.addModel("plates", "v1", "RUNNING");
    Result r = train("stop-model", "--projectArn=" + project, "--versionName=v1");
    assertEquals(0, r.status(), r.output());
    assertEquals(1, server.requests("StopProjectVersion").size());
    assertEquals("STOPPED", server.versionStatus(arn));

    Result again = train("stop-model", "--projectArn=" + project, "--versionName=v1");
    assertEquals(0, again.status());
    assertEquals(1, server.requests("StopProjectVersion").size(), "nothing to stop");
    assertTrue(again.output().contains("not running"));
  }

  @Test
  void unknownVersionAndMissingFlagsAreOneLineErrors() throws Exception {
    String project = projectArn();
    assertTrue(
        assertThrows(
                UserError.class,
                () -> train("status", "--projectArn=" + project, "--versionName=nope"))
            .getMessage()
            .contains("no model version 'nope'"));
    assertTrue(
        assertThrows(
                UserError.class,
                () -> train("start-training", "--projectArn=" + project, "--versionName=v"))
            .getMessage()
            .contains("--outputS3 is required"));
    server.addModel("plates", "v", "STOPPED");
    assertTrue(
        assertThrows(
                UserError.class,
                () ->
                    train(
                        "start-model",
                        "--projectArn=" + project,
                        "--versionName=v",
                        "--autoStopAfter=soon"))
            .getMessage()
            .contains("not a duration"));
    assertTrue(server.requests("StartProjectVersion").isEmpty(), "nothing started on bad input");
    assertNull(server.projectArn("nope"));
  }

  @Test
  void aMistypedCredentialsFlagIsRejectedWithoutEchoingTheSecret() {
    String broken =
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
            + "\"accessKeyId\":\""
            + RekognitionProtocolServer.ACCESS_KEY_ID
            + "\","
            + "\"secretAccessKey\":\""
            + RekognitionProtocolServer.SECRET_KEY
            + "\""; // no closing }
    UserError e =
        assertThrows(
            UserError.class,
            () ->
                TrainCommand.run(
                    new String[] {
                      "status", "--awsRegion=us-east-1", broken, "--projectArn=a", "--versionName=b"
                    },
                    System.out));
    // refused by name before its value is parsed: the message never holds the value
    assertTrue(
        e.getMessage().startsWith("--awsCredentialsProvider is not accepted"), e.getMessage());
    assertFalse(e.getMessage().contains(RekognitionProtocolServer.SECRET_KEY), e.getMessage());
    assertNull(e.getCause(), "the cause would carry the value");
  }

  private String projectArn() throws Exception {
    train("create-project", "--projectName=plates");
    server.clearRecords();
    return server.projectArn("plates");
  }

  /** Runs {@code create-datasets} on {@code project}, expects success: the CreateDataset calls. */
  private List<Recorded> createDatasets(String project, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("create-datasets", "--projectArn=" + project));
    args.addAll(List.of(flags));
    Result r = train(args.toArray(new String[0]));
    assertEquals(0, r.status(), r.output());
    return server.requests("CreateDataset");
  }

  private static void assertDataset(
      JsonNode body, String project, String type, String bucket, String key) {
    assertEquals(project, body.path("ProjectArn").asText());
    assertEquals(type, body.path("DatasetType").asText());
    JsonNode s3 = body.path("DatasetSource").path("GroundTruthManifest").path("S3Object");
    assertEquals(bucket, s3.path("Bucket").asText());
    assertEquals(key, s3.path("Name").asText());
  }

  /** Writes to a stream and to the class-wide console capture. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream first;

    Tee(java.io.OutputStream first) {
      this.first = first;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      synchronized (CONSOLE) {
        CONSOLE.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      synchronized (CONSOLE) {
        CONSOLE.write(b, off, len);
      }
    }
  }
}
