package org.mosaicbeam.model.rekognition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local stand-in for Amazon Rekognition that speaks its wire protocol (AWS JSON 1.1: {@code POST
 * /}, {@code X-Amz-Target: RekognitionService.<Operation>}, JSON bodies with the real field names),
 * so the unmodified AWS SDK v2 {@code RekognitionClient} talks to it through {@code
 * endpointOverride}. Rekognition has no local server; this is the only fake the project allows.
 *
 * <p>It keeps just enough state for the Custom Labels lifecycle (projects, datasets, model versions
 * whose status follows a scriptable sequence), answers DetectFaces / DetectCustomLabels with
 * scriptable boxes, injects faults (Rekognition's throttling errors as HTTP 400 with {@code
 * __type}, 5xx, latency), and records every request and the peak number of requests in flight.
 *
 * <p>Binds 127.0.0.1 on a free port. Credentials are dummies that are not shaped like real keys.
 */
public final class RekognitionProtocolServer implements AutoCloseable {
  public static final String ACCESS_KEY_ID = "mosaicbeam-test-key";

  /** A dummy secret: tests assert it never shows up in logs or output. */
  public static final String SECRET_KEY = "mosaicbeam-dummy-secret-never-log-me";

  public static final String REGION = "us-east-1";
  private static final String ACCOUNT = "000000000000";
  private static final String JSON_11 = "application/x-amz-json-1.1";
  private static final String TARGET_PREFIX = "RekognitionService.";
  // Rekognition's own limits on image bytes.
  private static final int MAX_BYTES_FACES = 5 * 1024 * 1024;
  private static final int MAX_BYTES_CUSTOM_LABELS = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the server saw it. */
  public record Recorded(
      String operation,
      Map<String, List<String>> headers,
      JsonNode body,
      int status,
      String error) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** The decoded {@code Image.Bytes} of a Detect* request, or null. */
    public byte[] imageBytes() {
      JsonNode bytes = body.path("Image").path("Bytes");
      return bytes.isTextual() ? Base64.getDecoder().decode(bytes.asText()) : null;
    }
  }

  /** An injected failure: an HTTP status and, for modelled errors, the {@code __type}. */
  public record Fault(int status, String type) {
    public static Fault throttling() {
      return new Fault(400, "ThrottlingException");
    }

    public static Fault provisionedThroughputExceeded() {
      return new Fault(400, "ProvisionedThroughputExceededException");
    }

    public static Fault limitExceeded() {
      return new Fault(400, "LimitExceededException");
    }

    public static Fault serverError(int status) {
      return new Fault(status, "InternalServerError");
    }

    public boolean isThrottle() {
      return status == 400;
    }
  }

  /** Chooses a fault (or null) for the {@code index}-th request of an operation. */
  @FunctionalInterface
  public interface FaultPolicy {
    Fault choose(String operation, JsonNode body);
  }

  /** A box in Rekognition's ratio coordinates (fractions of the image width/height). */
  public record Box(double left, double top, double width, double height, double confidence) {}

  /** One step of a model version's status sequence. */
  public record Step(String status, String message) {
    public static Step of(String status) {
      return new Step(status, null);
    }
  }

  private static final class Project {
    final String name;
    final String arn;
    final double created;
    final List<String> datasetArns = new ArrayList<>();

    Project(String name, String arn, double created) {
      this.name = name;
      this.arn = arn;
      this.created = created;
    }
  }

  private static final class Version {
    final String arn;
    final String projectArn;
    final String name;
    final double created;
    final Deque<Step> script = new ArrayDeque<>();
    Step current;
    JsonNode outputConfig;
    Integer minInferenceUnits;
    Integer maxInferenceUnits;
    Double f1;
    String summaryBucket;
    String summaryKey;
    long billableTrainingSeconds;

    Version(String arn, String projectArn, String name, double created) {
      this.arn = arn;
      this.projectArn = projectArn;
      this.name = name;
      this.created = created;
    }

    void follow(List<Step> steps) {
      script.clear();
      script.addAll(steps);
      current = script.pollFirst();
    }

    /** Each Describe call moves the status one step along its script. */
    Step observe() {
      Step shown = current;
      if (!script.isEmpty()) {
        current = script.pollFirst();
      }
      return shown;
    }
  }

  private final HttpServer http;
  private final ExecutorService pool;
  private final URI endpoint;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<Recorded> requests = new ArrayList<>();
  private final Map<String, Project> projectsByName = new LinkedHashMap<>();
  private final Map<String, Version> versionsByArn = new LinkedHashMap<>();
  private final Map<String, Deque<Fault>> nextFaults = new LinkedHashMap<>();
  private final Map<String, String> datasetStatus = new LinkedHashMap<>();
  private volatile FaultPolicy faultPolicy = (op, body) -> null;
  private volatile Duration latency = Duration.ZERO;
  private volatile Function<Recorded, List<Box>> faces = r -> List.of();
  private volatile Function<Recorded, List<Box>> plates = r -> List.of();
  private volatile String plateLabel = "vehicle_registration_plate";
  private List<Step> trainingScript =
      List.of(Step.of("TRAINING_IN_PROGRESS"), Step.of("TRAINING_COMPLETED"));
  private List<Step> startScript = List.of(Step.of("STARTING"), Step.of("RUNNING"));
  private List<Step> stopScript = List.of(Step.of("STOPPING"), Step.of("STOPPED"));
  private long clock = 1_760_000_000L;

  private RekognitionProtocolServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    // A thread per request, so concurrent client calls really are concurrent here.
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "rekognition-protocol-server");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(pool);
    http.createContext("/", this::handle);
    http.start();
    endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  public static RekognitionProtocolServer start() throws IOException {
    return new RekognitionProtocolServer();
  }

  public URI endpoint() {
    return endpoint;
  }

  public static AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_KEY));
  }

  /**
   * Command-line flags that point a MosaicBeam command at this server. Credentials are not among
   * them: commands take credentials from the SDK default chain only (see {@link
   * #dummyCredentialsInSystemProperties}).
   */
  public List<String> awsArgs() {
    return List.of("--awsRegion=" + REGION, "--rekognitionEndpoint=" + endpoint);
  }

  /**
   * Puts the dummy credentials where the SDK default chain looks first (the {@code aws.accessKeyId}
   * / {@code aws.secretAccessKey} system properties) until closed, then restores what was there.
   */
  public static AutoCloseable dummyCredentialsInSystemProperties() {
    String oldKey = System.getProperty("aws.accessKeyId");
    String oldSecret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    return () -> {
      restore("aws.accessKeyId", oldKey);
      restore("aws.secretAccessKey", oldSecret);
    };
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  // ---- scripting ----

  public void setLatency(Duration latency) {
    this.latency = latency;
  }

  public void setFaultPolicy(FaultPolicy policy) {
    this.faultPolicy = policy;
  }

  /**
   * Random faults on the Detect* operations, reproducible from {@code seed}: {@code throttleRate}
   * of the requests fail with one of Rekognition's three throttling errors (rotating), {@code
   * serverErrorRate} with a 500/503.
   */
  public static FaultPolicy randomFaults(long seed, double throttleRate, double serverErrorRate) {
    Random random = new Random(seed);
    Fault[] throttles = {
      Fault.throttling(), Fault.provisionedThroughputExceeded(), Fault.limitExceeded()
    };
    AtomicInteger next = new AtomicInteger();
    return (op, body) -> {
      if (!op.startsWith("Detect")) {
        return null;
      }
      double r;
      synchronized (random) {
        r = random.nextDouble();
      }
      if (r < throttleRate) {
        return throttles[next.getAndIncrement() % throttles.length];
      }
      if (r < throttleRate + serverErrorRate) {
        return Fault.serverError(next.getAndIncrement() % 2 == 0 ? 500 : 503);
      }
      return null;
    };
  }

  /** The next {@code times} requests of {@code operation} fail with {@code fault}. */
  public synchronized void failNext(String operation, int times, Fault fault) {
    Deque<Fault> queue = nextFaults.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
  }

  public void onDetectFaces(Function<Recorded, List<Box>> answer) {
    this.faces = answer;
  }

  public void onDetectCustomLabels(String label, Function<Recorded, List<Box>> answer) {
    this.plateLabel = label;
    this.plates = answer;
  }

  /** Status sequence of the next versions created by CreateProjectVersion. */
  public synchronized void scriptTraining(Step... steps) {
    trainingScript = List.of(steps);
  }

  public synchronized void scriptStart(Step... steps) {
    startScript = List.of(steps);
  }

  public synchronized void scriptStop(Step... steps) {
    stopScript = List.of(steps);
  }

  /** Sets the evaluation result DescribeProjectVersions reports for a version. */
  public synchronized void setEvaluation(String versionArn, double f1, String bucket, String key) {
    Version v = versionsByArn.get(versionArn);
    v.f1 = f1;
    v.summaryBucket = bucket;
    v.summaryKey = key;
  }

  public synchronized void setBillableTrainingSeconds(String versionArn, long seconds) {
    versionsByArn.get(versionArn).billableTrainingSeconds = seconds;
  }

  /** Adds a trained model version already in {@code status}; returns its ARN. */
  public synchronized String addModel(String projectName, String versionName, String status) {
    Project p = projectsByName.get(projectName);
    if (p == null) {
      p = newProject(projectName);
    }
    Version v = newVersion(p, versionName);
    v.follow(List.of(Step.of(status)));
    return v.arn;
  }

  public synchronized String projectArn(String projectName) {
    Project p = projectsByName.get(projectName);
    return p == null ? null : p.arn;
  }

  public synchronized String versionStatus(String versionArn) {
    return versionsByArn.get(versionArn).current.status();
  }

  // ---- observations ----

  public synchronized List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  public synchronized List<Recorded> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  public synchronized List<String> operations() {
    return requests.stream().map(Recorded::operation).toList();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  public synchronized void clearRecords() {
    requests.clear();
    maxInFlight.set(inFlight.get());
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }

  // ---- protocol ----

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String op =
          target != null && target.startsWith(TARGET_PREFIX)
              ? target.substring(TARGET_PREFIX.length())
              : String.valueOf(target);
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
      if (!latency.isZero()) {
        Thread.sleep(latency.toMillis());
      }
      Response response = respond(exchange, op, body);
      synchronized (this) {
        requests.add(new Recorded(op, headers, body, response.status, response.error));
      }
      send(exchange, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (RuntimeException e) {
      send(exchange, error(500, "InternalServerError", "test server: " + e));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private record Response(int status, String error, JsonNode body) {}

  private Response respond(HttpExchange exchange, String op, JsonNode body) {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (!"POST".equals(exchange.getRequestMethod())
        || contentType == null
        || !contentType.startsWith(JSON_11)) {
      return error(400, "SerializationException", "expected POST with " + JSON_11);
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null
        || !auth.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/")
        || !auth.contains("/rekognition/aws4_request")) {
      return error(400, "MissingAuthenticationTokenException", "request is not SigV4-signed");
    }
    Fault fault;
    synchronized (this) {
      Deque<Fault> queued = nextFaults.get(op);
      fault = queued == null ? null : queued.pollFirst();
    }
    if (fault == null) {
      fault = faultPolicy.choose(op, body);
    }
    if (fault != null) {
      return error(fault.status(), fault.type(), "injected " + fault.type());
    }
    synchronized (this) {
      return switch (op) {
        case "DetectFaces" -> detectFaces(body);
        case "DetectCustomLabels" -> detectCustomLabels(body);
        case "CreateProject" -> createProject(body);
        case "DescribeProjects" -> describeProjects(body);
        case "CreateDataset" -> createDataset(body);
        case "DescribeDataset" -> describeDataset(body);
        case "DistributeDatasetEntries" -> ok(JSON.createObjectNode());
        case "CreateProjectVersion" -> createProjectVersion(body);
        case "DescribeProjectVersions" -> describeProjectVersions(body);
        case "StartProjectVersion" -> startOrStop(body, true);
        case "StopProjectVersion" -> startOrStop(body, false);
        default -> error(400, "UnknownOperationException", "unknown operation " + op);
      };
    }
  }

  private Response checkImage(JsonNode body, int maxBytes) {
    JsonNode bytes = body.path("Image").path("Bytes");
    if (!bytes.isTextual()) {
      return body.path("Image").has("S3Object")
          ? null
          : error(400, "InvalidParameterException", "Image.Bytes or Image.S3Object is required");
    }
    byte[] image = Base64.getDecoder().decode(bytes.asText());
    if (image.length > maxBytes) {
      return error(400, "ImageTooLargeException", "image bytes exceed " + maxBytes);
    }
    boolean jpeg = image.length > 3 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8;
    boolean png = image.length > 3 && (image[0] & 0xff) == 0x89 && image[1] == 'P';
    if (!jpeg && !png) {
      return error(400, "InvalidImageFormatException", "not a JPEG or PNG");
    }
    return null;
  }

  private Response detectFaces(JsonNode body) {
    Response bad = checkImage(body, MAX_BYTES_FACES);
    if (bad != null) {
      return bad;
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode details = out.putArray("FaceDetails");
    for (Box box : faces.apply(new Recorded("DetectFaces", Map.of(), body, 200, null))) {
      ObjectNode face = details.addObject();
      face.set("BoundingBox", boundingBox(box));
      face.put("Confidence", box.confidence());
      face.putArray("Landmarks");
      ObjectNode pose = face.putObject("Pose");
      pose.put("Roll", 0.0).put("Yaw", 0.0).put("Pitch", 0.0);
      face.putObject("Quality").put("Brightness", 80.0).put("Sharpness", 80.0);
    }
    return ok(out);
  }

  private Response detectCustomLabels(JsonNode body) {
    String arn = body.path("ProjectVersionArn").asText(null);
    Version v = arn == null ? null : versionsByArn.get(arn);
    if (v == null) {
      return error(400, "ResourceNotFoundException", "no model " + arn);
    }
    if (!"RUNNING".equals(v.current.status())) {
      return error(400, "ResourceNotReadyException", "model is " + v.current.status());
    }
    Response bad = checkImage(body, MAX_BYTES_CUSTOM_LABELS);
    if (bad != null) {
      return bad;
    }
    double min = body.path("MinConfidence").asDouble(0);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode labels = out.putArray("CustomLabels");
    for (Box box : plates.apply(new Recorded("DetectCustomLabels", Map.of(), body, 200, null))) {
      if (box.confidence() < min) {
        continue; // the service applies MinConfidence itself
      }
      ObjectNode label = labels.addObject();
      label.put("Name", plateLabel);
      label.put("Confidence", box.confidence());
      label.putObject("Geometry").set("BoundingBox", boundingBox(box));
    }
    return ok(out);
  }

  private static ObjectNode boundingBox(Box box) {
    ObjectNode b = JSON.createObjectNode();
    b.put("Width", box.width()).put("Height", box.height());
    b.put("Left", box.left()).put("Top", box.top());
    return b;
  }

  private Project newProject(String name) {
    String arn =
        "arn:aws:rekognition:" + REGION + ":" + ACCOUNT + ":project/" + name + "/" + (++clock);
    Project p = new Project(name, arn, clock);
    projectsByName.put(name, p);
    return p;
  }

  private Version newVersion(Project p, String versionName) {
    String arn =
        "arn:aws:rekognition:"
            + REGION
            + ":"
            + ACCOUNT
            + ":project/"
            + p.name
            + "/version/"
            + versionName
            + "/"
            + (++clock);
    Version v = new Version(arn, p.arn, versionName, clock);
    versionsByArn.put(arn, v);
    return v;
  }

  private Project projectByArn(String arn) {
    return projectsByName.values().stream().filter(p -> p.arn.equals(arn)).findFirst().orElse(null);
  }

  private Response createProject(JsonNode body) {
    String name = body.path("ProjectName").asText("");
    if (name.isEmpty()) {
      return error(400, "InvalidParameterException", "ProjectName is required");
    }
    if (projectsByName.containsKey(name)) {
      return error(400, "ResourceInUseException", "project " + name + " exists");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("ProjectArn", newProject(name).arn);
    return ok(out);
  }

  private Response describeProjects(JsonNode body) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("ProjectDescriptions");
    List<String> names = new ArrayList<>();
    body.path("ProjectNames").forEach(n -> names.add(n.asText()));
    for (Project p : projectsByName.values()) {
      if (!names.isEmpty() && !names.contains(p.name)) {
        continue;
      }
      ObjectNode d = list.addObject();
      d.put("ProjectArn", p.arn).put("CreationTimestamp", p.created).put("Status", "CREATED");
      ArrayNode ds = d.putArray("Datasets");
      for (String arn : p.datasetArns) {
        ds.addObject().put("DatasetArn", arn).put("Status", datasetStatus.get(arn));
      }
    }
    return ok(out);
  }

  private Response createDataset(JsonNode body) {
    Project p = projectByArn(body.path("ProjectArn").asText(""));
    if (p == null) {
      return error(400, "ResourceNotFoundException", "no project " + body.path("ProjectArn"));
    }
    String type = body.path("DatasetType").asText("");
    if (!type.equals("TRAIN") && !type.equals("TEST")) {
      return error(400, "InvalidParameterException", "DatasetType must be TRAIN or TEST");
    }
    JsonNode manifest = body.path("DatasetSource").path("GroundTruthManifest").path("S3Object");
    if (body.has("DatasetSource") && !manifest.has("Bucket")) {
      return error(400, "InvalidParameterException", "GroundTruthManifest.S3Object.Bucket missing");
    }
    String arn =
        "arn:aws:rekognition:"
            + REGION
            + ":"
            + ACCOUNT
            + ":project/"
            + p.name
            + "/dataset/"
            + type.toLowerCase(java.util.Locale.ROOT)
            + "/"
            + (++clock);
    p.datasetArns.add(arn);
    datasetStatus.put(arn, "CREATE_COMPLETE");
    ObjectNode out = JSON.createObjectNode();
    out.put("DatasetArn", arn);
    return ok(out);
  }

  private Response describeDataset(JsonNode body) {
    String arn = body.path("DatasetArn").asText("");
    String status = datasetStatus.get(arn);
    if (status == null) {
      return error(400, "ResourceNotFoundException", "no dataset " + arn);
    }
    ObjectNode out = JSON.createObjectNode();
    ObjectNode d = out.putObject("DatasetDescription");
    d.put("Status", status).put("StatusMessage", "The dataset was successfully created.");
    d.putObject("DatasetStats").put("TotalEntries", 10).put("TotalLabels", 1);
    return ok(out);
  }

  private Response createProjectVersion(JsonNode body) {
    Project p = projectByArn(body.path("ProjectArn").asText(""));
    if (p == null) {
      return error(400, "ResourceNotFoundException", "no project " + body.path("ProjectArn"));
    }
    String name = body.path("VersionName").asText("");
    if (name.isEmpty() || !body.path("OutputConfig").has("S3Bucket")) {
      return error(400, "InvalidParameterException", "VersionName and OutputConfig are required");
    }
    boolean exists =
        versionsByArn.values().stream()
            .anyMatch(v -> v.projectArn.equals(p.arn) && v.name.equals(name));
    if (exists) {
      return error(400, "ResourceInUseException", "version " + name + " exists");
    }
    Version v = newVersion(p, name);
    v.outputConfig = body.get("OutputConfig");
    v.follow(trainingScript);
    ObjectNode out = JSON.createObjectNode();
    out.put("ProjectVersionArn", v.arn);
    return ok(out);
  }

  private Response describeProjectVersions(JsonNode body) {
    String projectArn = body.path("ProjectArn").asText("");
    if (projectByArn(projectArn) == null) {
      return error(400, "ResourceNotFoundException", "no project " + projectArn);
    }
    List<String> names = new ArrayList<>();
    body.path("VersionNames").forEach(n -> names.add(n.asText()));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("ProjectVersionDescriptions");
    for (Version v : versionsByArn.values()) {
      if (!v.projectArn.equals(projectArn) || (!names.isEmpty() && !names.contains(v.name))) {
        continue;
      }
      Step step = v.observe();
      ObjectNode d = list.addObject();
      d.put("ProjectVersionArn", v.arn).put("CreationTimestamp", v.created);
      d.put("Status", step.status());
      d.put(
          "StatusMessage", step.message() != null ? step.message() : defaultMessage(step.status()));
      if (v.outputConfig != null) {
        d.set("OutputConfig", v.outputConfig);
      }
      if (v.billableTrainingSeconds > 0) {
        d.put("BillableTrainingTimeInSeconds", v.billableTrainingSeconds);
      }
      if (v.minInferenceUnits != null) {
        d.put("MinInferenceUnits", v.minInferenceUnits);
      }
      if (v.maxInferenceUnits != null) {
        d.put("MaxInferenceUnits", v.maxInferenceUnits);
      }
      if (v.f1 != null) {
        ObjectNode eval = d.putObject("EvaluationResult");
        eval.put("F1Score", v.f1);
        eval.putObject("Summary")
            .putObject("S3Object")
            .put("Bucket", v.summaryBucket)
            .put("Name", v.summaryKey);
      }
    }
    return ok(out);
  }

  private static String defaultMessage(String status) {
    return switch (status) {
      case "TRAINING_IN_PROGRESS" -> "The model is being trained.";
      case "TRAINING_COMPLETED" -> "The model is ready to run.";
      case "TRAINING_FAILED" -> "The training failed.";
      case "STARTING" -> "The model is starting.";
      case "RUNNING" -> "The model is running.";
      case "STOPPING" -> "The model is stopping.";
      case "STOPPED" -> "The model is ready to run.";
      default -> "Status " + status + ".";
    };
  }

  private Response startOrStop(JsonNode body, boolean start) {
    String arn = body.path("ProjectVersionArn").asText("");
    Version v = versionsByArn.get(arn);
    if (v == null) {
      return error(400, "ResourceNotFoundException", "no model " + arn);
    }
    String status = v.current.status();
    ObjectNode out = JSON.createObjectNode();
    if (start) {
      if (!status.equals("TRAINING_COMPLETED") && !status.equals("STOPPED")) {
        return error(400, "ResourceInUseException", "cannot start a model that is " + status);
      }
      if (!body.has("MinInferenceUnits") || body.get("MinInferenceUnits").asInt() < 1) {
        return error(400, "InvalidParameterException", "MinInferenceUnits must be >= 1");
      }
      v.minInferenceUnits = body.get("MinInferenceUnits").asInt();
      v.maxInferenceUnits =
          body.has("MaxInferenceUnits") ? body.get("MaxInferenceUnits").asInt() : null;
      v.follow(startScript);
    } else {
      if (!status.equals("RUNNING") && !status.equals("STARTING")) {
        return error(400, "ResourceInUseException", "cannot stop a model that is " + status);
      }
      v.follow(stopScript);
    }
    out.put("Status", v.current.status());
    return ok(out);
  }

  private static Response ok(JsonNode body) {
    return new Response(200, null, body);
  }

  private static Response error(int status, String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", type);
    body.put("message", message);
    return new Response(status, type, body);
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(response.body);
    exchange.getResponseHeaders().set("Content-Type", JSON_11);
    exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    if (response.error != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", response.error);
    }
    exchange.sendResponseHeaders(response.status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
