package org.mosaicbeam.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real standalone Flink session cluster for tests, started and stopped through {@code
 * scripts/flink-cluster} (the same script users run) with its own state directory and a free REST
 * port, so tests running side by side do not collide. Close it in a {@code finally}/{@code
 * AfterAll}: {@link #close()} stops both JVMs.
 */
public final class LocalFlinkCluster implements AutoCloseable {
  /** The checkout (Maven runs tests from the project directory). */
  public static final Path ROOT = Path.of("").toAbsolutePath();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path stateDir;
  private final int restPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalFlinkCluster(Path stateDir, int restPort) {
    this.stateDir = stateDir;
    this.restPort = restPort;
  }

  /** Starts a cluster whose pid files, logs and temp files live under {@code stateDir}. */
  public static LocalFlinkCluster start(Path stateDir) throws IOException, InterruptedException {
    LocalFlinkCluster cluster = new LocalFlinkCluster(stateDir, -1);
    Result started = cluster.script("start", "--port=0");
    if (started.exitCode != 0) {
      cluster.script("stop"); // whatever half-started
      throw new IllegalStateException("scripts/flink-cluster start failed:\n" + started.output);
    }
    int port = Integer.parseInt(Files.readString(stateDir.resolve("rest.port")).strip());
    return new LocalFlinkCluster(stateDir, port);
  }

  public int restPort() {
    return restPort;
  }

  /** The value of {@code --flinkMaster} that submits to this cluster. */
  public String flinkMaster() {
    return "localhost:" + restPort;
  }

  public Path logDir() {
    return stateDir.resolve("log");
  }

  /** GET on the REST API (e.g. {@code /overview}, {@code /jobs/overview}) as JSON. */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Cancels a job (REST {@code PATCH /jobs/:id}) and waits until the cluster reports it ended. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long deadline = System.currentTimeMillis() + 60_000;
    String state = "?";
    while (System.currentTimeMillis() < deadline) {
      state = rest("/jobs/" + jobId).get("state").asText();
      if (state.equals("CANCELED") || state.equals("FAILED") || state.equals("FINISHED")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "job "
            + jobId
            + " did not stop within 60 s (state "
            + state
            + "; cancel answered "
            + response.statusCode()
            + " "
            + response.body()
            + ")\n"
            + logTail("taskmanager", 60));
  }

  /** The last lines of a cluster JVM's log (jobmanager or taskmanager), for failure messages. */
  public String logTail(String jvm, int lines) throws IOException {
    Path log = logDir().resolve("flink-" + jvm + ".log");
    if (!Files.exists(log)) {
      return "(no " + log + ")";
    }
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** {@code scripts/flink-cluster status}: exit code and output. */
  public Result status() throws IOException, InterruptedException {
    return script("status");
  }

  /** JVM pids from the state directory's pid files. */
  public List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String name : List.of("jobmanager", "taskmanager")) {
      Path file = stateDir.resolve(name + ".pid");
      if (Files.exists(file)) {
        pids.add(Long.parseLong(Files.readString(file).strip()));
      }
    }
    return pids;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Result stopped = script("stop");
    if (stopped.exitCode != 0) {
      throw new IllegalStateException("scripts/flink-cluster stop failed:\n" + stopped.output);
    }
  }

  /** Exit code and combined output of a script run. */
  public record Result(int exitCode, String output) {}

  private Result script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts/flink-cluster").toString());
    command.addAll(List.of(args));
    command.add("--state-dir=" + stateDir);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // The cluster JVMs write to their own log files, so this stream ends when the script does.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("scripts/flink-cluster " + args[0] + " hung:\n" + output);
    }
    return new Result(process.exitValue(), output);
  }
}
