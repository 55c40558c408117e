package org.mosaicbeam.training;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mosaicbeam.base.UserError;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DatasetDescription;
import software.amazon.awssdk.services.rekognition.model.DatasetStatus;
import software.amazon.awssdk.services.rekognition.model.DatasetType;
import software.amazon.awssdk.services.rekognition.model.EvaluationResult;
import software.amazon.awssdk.services.rekognition.model.ProjectVersionDescription;
import software.amazon.awssdk.services.rekognition.model.ProjectVersionStatus;

/** The Custom Labels lifecycle calls behind {@link TrainCommand}, one method per action. */
final class CustomLabels {
  /** Statuses a model version moves through on its own; anything else is where it rests. */
  private static final Set<ProjectVersionStatus> MOVING =
      Set.of(
          ProjectVersionStatus.TRAINING_IN_PROGRESS,
          ProjectVersionStatus.STARTING,
          ProjectVersionStatus.STOPPING,
          ProjectVersionStatus.COPYING_IN_PROGRESS,
          ProjectVersionStatus.DELETING);

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** While waiting, unchanged status is printed again at most this often (liveness). */
  private static final Duration HEARTBEAT = Duration.ofMinutes(5);

  private final RekognitionClient client;
  private final TrainOptions options;
  private final PrintStream out;

  CustomLabels(RekognitionClient client, TrainOptions options, PrintStream out) {
    this.client = client;
    this.options = options;
    this.out = out;
  }

  int createProject() {
    String name = required("projectName", options.getProjectName());
    out.println(
        "Creating Custom Labels project '"
            + name
            + "' in "
            + client.serviceClientConfiguration().region()
            + " (free: projects and datasets cost nothing; training and running models do).");
    String arn = client.createProject(r -> r.projectName(name)).projectArn();
    out.println("project ARN: " + arn);
    out.println(
        "next: scripts/mosaicbeam train create-datasets --projectArn="
            + arn
            + " --manifest=s3://BUCKET/manifest.jsonl --autoSplit");
    return 0;
  }

  int createDatasets() throws InterruptedException {
    String project = required("projectArn", options.getProjectArn());
    S3Location train =
        S3Location.parse("manifest", required("manifest", options.getManifest()))
            .requireKey("manifest");
    String testManifest = options.getTestManifest();
    if ((testManifest == null) == !options.getAutoSplit()) {
      throw new UserError("give exactly one of --testManifest=s3://… or --autoSplit");
    }
    S3Location test =
        testManifest == null
            ? null
            : S3Location.parse("testManifest", testManifest).requireKey("testManifest");
    out.println(
        "Creating the training dataset from "
            + train
            + " (free; Rekognition copies the "
            + "manifest, the images stay in your bucket).");
    String trainArn = createDataset(project, DatasetType.TRAIN, train);
    if (!waitForDataset(trainArn)) {
      return 1;
    }
    if (test != null) {
      out.println("Creating the test dataset from " + test + ".");
      return waitForDataset(createDataset(project, DatasetType.TEST, test)) ? 0 : 1;
    }
    out.println(
        "Creating an empty test dataset and letting Rekognition move 20% of the training "
            + "images into it (--autoSplit).");
    String testArn = createDataset(project, DatasetType.TEST, null);
    if (!waitForDataset(testArn)) {
      return 1;
    }
    client.distributeDatasetEntries(r -> r.datasets(d -> d.arn(trainArn), d -> d.arn(testArn)));
    return waitForDataset(trainArn) && waitForDataset(testArn) ? 0 : 1;
  }

  private String createDataset(String project, DatasetType type, S3Location manifest) {
    String arn =
        client
            .createDataset(
                r -> {
                  r.projectArn(project).datasetType(type);
                  if (manifest != null) {
                    r.datasetSource(
                        s ->
                            s.groundTruthManifest(
                                g ->
                                    g.s3Object(
                                        o -> o.bucket(manifest.bucket()).name(manifest.key()))));
                  }
                })
            .datasetArn();
    out.println(type + " dataset ARN: " + arn);
    return arn;
  }

  /** Waits while the dataset is being created or updated; true when it ended well. */
  private boolean waitForDataset(String arn) throws InterruptedException {
    Duration poll = pollInterval();
    while (true) {
      DatasetDescription d = client.describeDataset(r -> r.datasetArn(arn)).datasetDescription();
      DatasetStatus status = d.status();
      if (status == DatasetStatus.CREATE_COMPLETE || status == DatasetStatus.UPDATE_COMPLETE) {
        out.println(
            "dataset "
                + status
                + (d.datasetStats() != null
                    ? ": "
                        + d.datasetStats().totalEntries()
                        + " images, "
                        + d.datasetStats().totalLabels()
                        + " labels"
                    : ""));
        return true;
      }
      if (status != DatasetStatus.CREATE_IN_PROGRESS
          && status != DatasetStatus.UPDATE_IN_PROGRESS) {
        out.println("dataset " + d.statusAsString() + ": " + d.statusMessage());
        return false;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  int startTraining() {
    String project = required("projectArn", options.getProjectArn());
    String version = required("versionName", options.getVersionName());
    S3Location output = S3Location.parse("outputS3", required("outputS3", options.getOutputS3()));
    double price = options.getPricePerTrainingHour();
    out.printf(Locale.ROOT, "Training model version '%s'; results go to %s.%n", version, output);
    out.printf(
        Locale.ROOT,
        "Cost: training is billed per hour of training time, $%.2f/h "
            + "(--pricePerTrainingHour); it typically takes 30 min to 24 h, i.e. $%.2f to $%.2f.%n",
        price,
        0.5 * price,
        24 * price);
    String arn =
        client
            .createProjectVersion(
                r ->
                    r.projectArn(project)
                        .versionName(version)
                        .outputConfig(o -> o.s3Bucket(output.bucket()).s3KeyPrefix(output.key())))
            .projectVersionArn();
    out.println("model version ARN: " + arn);
    out.println(
        "next: scripts/mosaicbeam train status --projectArn="
            + project
            + " --versionName="
            + version);
    return 0;
  }

  int status() throws InterruptedException {
    ProjectVersionDescription v = options.getWait() ? waitWhileMoving() : describe();
    if (!options.getWait()) {
      printStatus(v, null);
    }
    ProjectVersionStatus status = v.status();
    if (status == ProjectVersionStatus.TRAINING_COMPLETED) {
      Long seconds = v.billableTrainingTimeInSeconds();
      if (seconds != null) {
        out.printf(
            Locale.ROOT,
            "billable training time %s, about $%.2f%n",
            Durations.format(Duration.ofSeconds(seconds)),
            seconds / 3600.0 * options.getPricePerTrainingHour());
      }
      if (v.evaluationResult() != null && v.evaluationResult().f1Score() != null) {
        out.printf(
            Locale.ROOT,
            "F1 score %.3f (details: train evaluate)%n",
            v.evaluationResult().f1Score());
      }
    }
    return status == ProjectVersionStatus.TRAINING_FAILED
            || status == ProjectVersionStatus.FAILED
            || status == ProjectVersionStatus.COPYING_FAILED
        ? 1
        : 0;
  }

  int evaluate() throws IOException {
    ProjectVersionDescription v = describe();
    EvaluationResult result = v.evaluationResult();
    String path = options.getEvaluationSummary();
    if (path == null) {
      if (result == null || result.summary() == null || result.summary().s3Object() == null) {
        throw new UserError(
            "model version '"
                + options.getVersionName()
                + "' has no evaluation "
                + "results (status "
                + v.statusAsString()
                + "); they appear when training completes");
      }
      path =
          "s3://" + result.summary().s3Object().bucket() + "/" + result.summary().s3Object().name();
    }
    out.println(
        "Evaluation of '" + options.getVersionName() + "' on its test dataset (" + path + "):");
    EvaluationSummary.read(path).print(out);
    return 0;
  }

  int startModel() throws InterruptedException {
    ProjectVersionDescription v = describe();
    int units = options.getMinInferenceUnits();
    if (units < 1) {
      throw new UserError("--minInferenceUnits must be at least 1");
    }
    Integer max = options.getMaxInferenceUnits();
    if (max != null && max < units) {
      throw new UserError("--maxInferenceUnits must be at least --minInferenceUnits");
    }
    Duration autoStop =
        options.getAutoStopAfter() == null
            ? null
            : Durations.parse("autoStopAfter", options.getAutoStopAfter());
    double perHour = options.getPricePerInferenceUnitHour();
    out.printf(
        Locale.ROOT,
        "Cost: a running model is billed per inference-unit hour, $%.2f/h "
            + "(--pricePerInferenceUnitHour) x %d unit(s) = $%.2f/h%s, whether or not it is used, "
            + "until it is stopped.%n",
        perHour,
        units,
        perHour * units,
        max != null
            ? " (up to $"
                + String.format(Locale.ROOT, "%.2f", perHour * max)
                + "/h if it scales to "
                + max
                + " units)"
            : "");
    if (autoStop != null) {
      out.printf(
          Locale.ROOT,
          "--autoStopAfter=%s: it will be stopped at %s; about $%.2f.%n",
          Durations.format(autoStop),
          CLOCK.format(Instant.now().plus(autoStop)),
          autoStop.toSeconds() / 3600.0 * perHour * (max != null ? max : units));
    }
    if (v.status() == ProjectVersionStatus.RUNNING || v.status() == ProjectVersionStatus.STARTING) {
      out.println("model is already " + v.statusAsString() + "; not starting it again.");
    } else {
      out.println("Starting " + v.projectVersionArn() + " on " + units + " inference unit(s).");
      client.startProjectVersion(
          r ->
              r.projectVersionArn(v.projectVersionArn())
                  .minInferenceUnits(units)
                  .maxInferenceUnits(max));
    }
    if (!options.getWait() && autoStop == null) {
      return 0;
    }
    // The guard: from here on, an interrupted command (Ctrl-C, SIGTERM) stops the model.
    Thread guard = autoStop == null ? null : new Thread(() -> stopQuietly(v.projectVersionArn()));
    if (guard != null) {
      Runtime.getRuntime().addShutdownHook(guard);
    }
    try {
      ProjectVersionDescription now = waitWhileMoving();
      if (now.status() != ProjectVersionStatus.RUNNING) {
        out.println("model did not start: " + now.statusAsString() + ": " + now.statusMessage());
        return 1;
      }
      out.println("model RUNNING: " + now.projectVersionArn());
      out.println(
          "use it: scripts/mosaicbeam anonymize --detector=rekognition --projectVersionArn="
              + now.projectVersionArn()
              + " …");
      if (autoStop == null) {
        out.println(
            "stop it when done: scripts/mosaicbeam train stop-model --projectArn="
                + options.getProjectArn()
                + " --versionName="
                + options.getVersionName());
        return 0;
      }
      sleepWithCountdown(autoStop);
      out.println("--autoStopAfter reached: stopping the model.");
      client.stopProjectVersion(r -> r.projectVersionArn(now.projectVersionArn()));
      ProjectVersionDescription stopped = waitWhileMoving();
      return stopped.status() == ProjectVersionStatus.STOPPED ? 0 : 1;
    } finally {
      if (guard != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(guard);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it stops the model
        }
      }
    }
  }

  int stopModel() throws InterruptedException {
    ProjectVersionDescription v = describe();
    if (v.status() != ProjectVersionStatus.RUNNING && v.status() != ProjectVersionStatus.STARTING) {
      out.println(
          "model is "
              + v.statusAsString()
              + ", not running: nothing to stop (no inference "
              + "hours are being billed for it).");
      return 0;
    }
    out.println("Stopping " + v.projectVersionArn() + " (billing stops once it is STOPPED).");
    client.stopProjectVersion(r -> r.projectVersionArn(v.projectVersionArn()));
    if (!options.getWait()) {
      return 0;
    }
    return waitWhileMoving().status() == ProjectVersionStatus.STOPPED ? 0 : 1;
  }

  /** Called from a shutdown hook: one StopProjectVersion, no waiting, no throwing. */
  private void stopQuietly(String arn) {
    try {
      System.err.println("train start-model: interrupted, stopping the model so it is not billed");
      client.stopProjectVersion(r -> r.projectVersionArn(arn));
    } catch (RuntimeException e) {
      System.err.println(
          "train start-model: COULD NOT STOP THE MODEL, it is still billed: "
              + e.getClass().getSimpleName()
              + "; run train stop-model");
    }
  }

  private void sleepWithCountdown(Duration total) throws InterruptedException {
    Instant end = Instant.now().plus(total);
    Instant lastPrint = Instant.now();
    while (true) {
      Duration left = Duration.between(Instant.now(), end);
      if (left.isNegative() || left.isZero()) {
        return;
      }
      if (Duration.between(lastPrint, Instant.now()).compareTo(HEARTBEAT) >= 0) {
        out.println("model running, auto-stop in " + Durations.format(left));
        lastPrint = Instant.now();
      }
      Thread.sleep(Math.min(left.toMillis(), 1_000));
    }
  }

  /** Polls until the version rests in a status, printing each change (and a heartbeat). */
  private ProjectVersionDescription waitWhileMoving() throws InterruptedException {
    Duration poll = pollInterval();
    Instant start = Instant.now();
    String shown = null;
    Instant lastPrint = Instant.EPOCH;
    while (true) {
      ProjectVersionDescription v = describe();
      String line = v.statusAsString() + ": " + v.statusMessage();
      if (!line.equals(shown)
          || Duration.between(lastPrint, Instant.now()).compareTo(HEARTBEAT) >= 0) {
        printStatus(v, Duration.between(start, Instant.now()));
        shown = line;
        lastPrint = Instant.now();
      }
      if (!MOVING.contains(v.status())) {
        return v;
      }
      Thread.sleep(poll.toMillis());
    }
  }

  private void printStatus(ProjectVersionDescription v, Duration waited) {
    out.println(
        (waited == null ? "" : "[" + Durations.format(waited) + "] ")
            + v.statusAsString()
            + ": "
            + v.statusMessage());
  }

  private ProjectVersionDescription describe() {
    String project = required("projectArn", options.getProjectArn());
    String version = required("versionName", options.getVersionName());
    List<ProjectVersionDescription> found =
        client
            .describeProjectVersions(r -> r.projectArn(project).versionNames(version))
            .projectVersionDescriptions();
    if (found.isEmpty()) {
      throw new UserError("no model version '" + version + "' in project " + project);
    }
    return found.get(0);
  }

  private Duration pollInterval() {
    return Durations.parse("pollInterval", options.getPollInterval());
  }

  private static String required(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new UserError("--" + flag + " is required");
    }
    return value;
  }

  /** An s3://bucket/key location. */
  record S3Location(String bucket, String key) {
    static S3Location parse(String flag, String uri) {
      if (!uri.startsWith("s3://") || uri.length() <= 5 || uri.indexOf('/', 5) == 5) {
        throw new UserError("--" + flag + "=" + uri + " must be an s3://bucket/key location");
      }
      String rest = uri.substring(5);
      int slash = rest.indexOf('/');
      return slash < 0
          ? new S3Location(rest, "")
          : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    S3Location requireKey(String flag) {
      if (key.isEmpty() || key.endsWith("/")) {
        throw new UserError("--" + flag + "=" + this + " must name a manifest file, not a prefix");
      }
      return this;
    }

    @Override
    public String toString() {
      return "s3://" + bucket + "/" + key;
    }
  }
}
