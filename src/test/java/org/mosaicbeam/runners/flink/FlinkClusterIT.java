package org.mosaicbeam.runners.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs pipelines on a real standalone Flink session cluster (a JobManager and a TaskManager JVM
 * started by {@code scripts/flink-cluster}), submitted with the shaded job jar the build makes
 * ({@code target/mosaicbeam-job.jar}, built in the package phase before this runs), and checks the
 * results, the metrics the web UI shows, and that stopping the cluster really ends both JVMs.
 */
class FlinkClusterIT {
  private static final Path JOB_JAR = LocalFlinkCluster.ROOT.resolve("target/mosaicbeam-job.jar");

  @TempDir static Path temp;
  private static LocalFlinkCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.isRegularFile(JOB_JAR), "the package phase builds " + JOB_JAR);
    cluster = LocalFlinkCluster.start(temp.resolve("flink-state"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster == null) {
      return;
    }
    List<Long> pids = cluster.pids();
    cluster.close();
    for (long pid : pids) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "pid " + pid + " still alive after stop");
    }
    assertEquals(3, cluster.status().exitCode(), "status after stop says: not running");
  }

  @Test
  void clusterIsTwoJvmsWithOneTaskManager() throws Exception {
    assertEquals(2, cluster.pids().size());
    JsonNode overview = cluster.rest("/overview");
    assertEquals(1, overview.get("taskmanagers").asInt());
    assertTrue(overview.get("flink-version").asText().startsWith("1.19"), overview.toString());
    assertEquals(0, cluster.status().exitCode(), cluster.status().output());
  }

  /**
   * A small Beam pipeline, submitted from this JVM, runs on the cluster and reports its metrics.
   */
  @Test
  void beamJobRunsOnClusterAndReportsMetrics() throws Exception {
    Path out = temp.resolve("smoke/out.txt");
    String jobName = "mosaicbeam-smoke-" + UUID.randomUUID();
    Pipeline pipeline = Pipeline.create(clusterOptions(jobName));
    List<String> lines = IntStream.range(0, 1000).mapToObj(i -> "line " + i).toList();
    pipeline
        .apply(Create.of(lines))
        .apply(ParDo.of(new CountAndUpperCase()))
        .apply(TextIO.write().to(out.toString()).withoutSharding());
    PipelineResult result = pipeline.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    List<String> expected = new ArrayList<>(lines.stream().map(String::toUpperCase).toList());
    List<String> actual = new ArrayList<>(Files.readAllLines(out));
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual);

    // The client sees the Beam counter ...
    MetricResult<Long> counter =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(CountAndUpperCase.class, "smokeLines"))
                    .build())
            .getCounters()
            .iterator()
            .next();
    assertEquals(1000L, counter.getAttempted());
    // ... and so does the Flink web UI, as the job's accumulators.
    JsonNode job = findJob(jobName);
    assertEquals("FINISHED", job.get("state").asText());
    assertEquals(
        1000L,
        beamCounters(job.get("jid").asText())
            .get(CountAndUpperCase.class.getName() + ":smokeLines"));
  }

  /**
   * The dataset pipeline on generated data, submitted through the launcher's code path with
   * runners/flink/options.args (job jar staged), gives byte for byte the DirectRunner's output; its
   * Beam counters are in the job's accumulators on the cluster.
   */
  @Test
  void datasetOnClusterMatchesDirectRunner() throws Exception {
    Path sample = temp.resolve("oid-sample");
    run(List.of("generate-oid-sample", "--rows=20000", "--output=" + sample), "generate");
    List<String> job =
        List.of(
            "dataset",
            "@" + LocalFlinkCluster.ROOT.resolve("pipelines/sample-plates.args"),
            "--annotations="
                + sample.resolve("oidv6-train-annotations-bbox.csv")
                + ","
                + sample.resolve("validation-annotations-bbox.csv")
                + ","
                + sample.resolve("test-annotations-bbox.csv"),
            "--classDescriptions=" + sample.resolve("class-descriptions-boxable.csv"),
            "--images=" + sample.resolve("images"),
            "--creationDate=2026-11-22T00:00:00Z");
    Path direct = temp.resolve("dataset-direct");
    Path flink = temp.resolve("dataset-flink");
    run(concat(job, "--output=" + direct), "dataset-direct");
    Set<String> before = jobIds();
    run(
        concat(
            job,
            "--output=" + flink,
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.flinkMaster()),
        "dataset-flink");

    for (String file : List.of("manifest.jsonl", "images.txt", "report.json")) {
      assertArrayEquals(
          Files.readAllBytes(direct.resolve(file)), Files.readAllBytes(flink.resolve(file)), file);
    }
    assertEquals(
        sortedLines(direct.resolve("dead-letters.csv")),
        sortedLines(flink.resolve("dead-letters.csv")));
    long manifestLines = Files.readAllLines(flink.resolve("manifest.jsonl")).size();
    assertTrue(manifestLines > 0);
    Map<String, Long> counters = beamCounters(newJob(before));
    assertEquals(manifestLines, counters.get("dataset:output.images"), counters.toString());
  }

  /**
   * The anonymize pipeline on a short clip whose frames carry their index as brightness: the
   * cluster's MP4 has every frame, in order, like the DirectRunner's.
   */
  @Test
  void anonymizeOnClusterKeepsEveryFrameInOrder() throws Exception {
    Path clip = temp.resolve("clip.mp4");
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "nullsrc=s=320x240:r=30000/1001,geq=lum='mod(N*5,250)+2':cb=128:cr=128",
        "-frames:v",
        "45",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-g",
        "15",
        clip.toString());
    Path direct = temp.resolve("anonymize-direct/clip.mp4");
    Path flink = temp.resolve("anonymize-flink/clip.mp4");
    run(List.of("anonymize", "--input=" + clip, "--output=" + direct), "anonymize-direct");
    Set<String> before = jobIds();
    run(
        List.of(
            "anonymize",
            "--input=" + clip,
            "--output=" + flink,
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.flinkMaster()),
        "anonymize-flink");

    double[] input = frameBrightness(clip);
    assertEquals(45, input.length);
    for (Path output : List.of(direct, flink)) {
      double[] frames = frameBrightness(output);
      assertEquals(input.length, frames.length, output + ": every frame");
      for (int i = 0; i < input.length; i++) {
        assertEquals(input[i], frames[i], 4.0, output + ": frame " + i + " in its place");
      }
    }
    assertEquals(
        45L, beamCounters(newJob(before)).get("org.mosaicbeam.anonymize.AnonymizeVideos:frames"));
  }

  /**
   * {@code anonymize --watch} as a streaming job on the cluster: videos dropped into a folder come
   * out as OUTPUT/&lt;name&gt;/mosaic/&lt;name&gt;.mp4 with every frame while the job keeps
   * running; a broken upload is reported (counted in the job's accumulators) and does not stop it.
   */
  @Test
  void anonymizeWatchStreamsOnCluster() throws Exception {
    Path watched = Files.createDirectories(temp.resolve("watch/uploads"));
    Path output = temp.resolve("watch/out");
    Path clip = temp.resolve("watch/clip.mp4");
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "nullsrc=s=320x240:r=30000/1001,geq=lum='mod(N*5,250)+2':cb=128:cr=128",
        "-frames:v",
        "30",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-g",
        "10",
        clip.toString());
    Set<String> before = jobIds();
    Process client =
        Launcher.start(
            List.of(
                "anonymize",
                "--watch=" + watched,
                "--output=" + output,
                "--watchIntervalSeconds=1",
                "--watchSettleSeconds=1",
                "--segmentFrames=10",
                "--runner=FlinkRunner",
                "--flinkMaster=" + cluster.flinkMaster(),
                "--attachedMode=false"),
            temp.resolve("watch/client.log"));
    String jobId = null;
    try {
      jobId = waitForNewRunningJob(before);
      Files.write(watched.resolve("broken.mp4"), "not a video".getBytes());
      Files.copy(clip, watched.resolve("first.mov"));
      Files.copy(clip, watched.resolve("second.mp4"));
      for (String name : List.of("first", "second")) {
        Path result = output.resolve(name + "/mosaic/" + name + ".mp4");
        long deadline = System.currentTimeMillis() + 150_000;
        while (!Files.exists(result) && System.currentTimeMillis() < deadline) {
          Thread.sleep(500);
        }
        assertTrue(
            Files.exists(result), result + " within 150 s\n" + cluster.logTail("taskmanager", 40));
        assertEquals(30, frameBrightness(result).length, result + ": every frame");
      }
      assertFalse(Files.exists(output.resolve("broken/mosaic/broken.mp4")));
      assertEquals(
          "RUNNING",
          cluster.rest("/jobs/" + jobId).get("state").asText(),
          "the stream keeps running");
      // A running job's Beam counters are Flink operator metrics (web UI: the step's Metrics tab).
      String written = "org_mosaicbeam_anonymize_AnonymizeVideos_writtenVideos";
      String failed = "org_mosaicbeam_anonymize_AnonymizeVideos_failedVideos";
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline
          && !(operatorMetric(jobId, written) == 2 && operatorMetric(jobId, failed) == 1)) {
        Thread.sleep(1000);
      }
      assertEquals(2, operatorMetric(jobId, written));
      assertEquals(1, operatorMetric(jobId, failed));
    } finally {
      if (jobId != null) {
        cluster.cancel(jobId);
      }
      client.destroy();
    }
  }

  /** A running job's operator metric whose name ends with {@code suffix}, summed over subtasks. */
  private static long operatorMetric(String jobId, String suffix) throws Exception {
    long sum = 0;
    for (JsonNode vertex : cluster.rest("/jobs/" + jobId).get("vertices")) {
      String base =
          "/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/subtasks/metrics";
      for (JsonNode metric : cluster.rest(base)) {
        String id = metric.get("id").asText();
        if (id.endsWith(suffix)) {
          JsonNode value =
              cluster.rest(base + "?agg=sum&get=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
          sum += value.get(0).get("sum").asLong();
        }
      }
    }
    return sum;
  }

  private static String waitForNewRunningJob(Set<String> before) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      for (JsonNode job : cluster.rest("/jobs/overview").get("jobs")) {
        if (!before.contains(job.get("jid").asText())
            && job.get("state").asText().equals("RUNNING")) {
          return job.get("jid").asText();
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no new running job within 120 s");
  }

  private static FlinkPipelineOptions clusterOptions(String jobName) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--flinkMaster=" + cluster.flinkMaster(),
                "--jobName=" + jobName,
                // the job jar plus this test's own classes (Beam zips a directory into a jar)
                "--filesToStage="
                    + JOB_JAR
                    + ","
                    + LocalFlinkCluster.ROOT.resolve("target/test-classes"))
            .as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    return options;
  }

  private static Launcher.Result run(List<String> args, String name) throws Exception {
    Launcher.Result result = Launcher.run(args, temp.resolve(name + ".log"));
    assertEquals(0, result.exitCode(), name + " failed:\n" + result.output());
    return result;
  }

  private static List<String> concat(List<String> list, String... more) {
    List<String> all = new ArrayList<>(list);
    all.addAll(List.of(more));
    return all;
  }

  private static List<String> sortedLines(Path file) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.sort(null);
    return lines;
  }

  private static Set<String> jobIds() throws Exception {
    Set<String> ids = new HashSet<>();
    cluster.rest("/jobs/overview").get("jobs").forEach(job -> ids.add(job.get("jid").asText()));
    return ids;
  }

  /** The one job that the cluster ran since {@code before}. */
  private static String newJob(Set<String> before) throws Exception {
    Set<String> now = jobIds();
    now.removeAll(before);
    assertEquals(1, now.size(), "one new job on the cluster: " + now);
    return now.iterator().next();
  }

  /**
   * The Beam counters of a job as Flink's web UI shows them: the "__metricscontainers" accumulator
   * (Beam's metrics as JSON, each sum a base64 varint), summed per namespace:name.
   */
  private static Map<String, Long> beamCounters(String jobId) throws Exception {
    Map<String, Long> counters = new TreeMap<>();
    for (JsonNode accumulator :
        cluster.rest("/jobs/" + jobId + "/accumulators").get("user-task-accumulators")) {
      if (!accumulator.get("name").asText().equals("__metricscontainers")) {
        continue;
      }
      JsonNode metrics =
          new ObjectMapper()
              .readTree(accumulator.get("value").asText())
              .path("metrics")
              .path("attempted");
      for (JsonNode metric : metrics) {
        if (metric.path("type").asText().equals("beam:metrics:sum_int64:v1")) {
          JsonNode labels = metric.get("labels");
          String name = labels.get("NAMESPACE").asText() + ":" + labels.get("NAME").asText();
          counters.merge(
              name, varint(Base64.getDecoder().decode(metric.get("payload").asText())), Long::sum);
        }
      }
    }
    return counters;
  }

  private static long varint(byte[] bytes) {
    long value = 0;
    for (int i = 0; i < bytes.length; i++) {
      value |= (long) (bytes[i] & 0x7f) << (7 * i);
      if ((bytes[i] & 0x80) == 0) {
        break;
      }
    }
    return value;
  }

  private static void ffmpeg(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), "ffmpeg " + String.join(" ", args) + ":\n" + output);
  }

  /** Mean brightness of each decoded frame (320x240 clips), in presentation order. */
  private static double[] frameBrightness(Path video) throws Exception {
    Process process =
        new ProcessBuilder(
                "ffmpeg",
                "-v",
                "error",
                "-i",
                video.toString(),
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                "-")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] gray = process.getInputStream().readAllBytes();
    assertEquals(0, process.waitFor(), "ffmpeg decodes " + video);
    int frameSize = 320 * 240;
    double[] means = new double[gray.length / frameSize];
    for (int f = 0; f < means.length; f++) {
      long sum = 0;
      for (int i = f * frameSize; i < (f + 1) * frameSize; i++) {
        sum += gray[i] & 0xff;
      }
      means[f] = (double) sum / frameSize;
    }
    return means;
  }

  private static JsonNode findJob(String name) throws Exception {
    for (JsonNode job : cluster.rest("/jobs/overview").get("jobs")) {
      if (job.get("name").asText().equals(name)) {
        return job;
      }
    }
    throw new AssertionError("no job named " + name + " on the cluster");
  }

  /** Upper-cases each line and counts it in a Beam counter. */
  static class CountAndUpperCase extends DoFn<String, String> {
    private final Counter smokeLines = Metrics.counter(CountAndUpperCase.class, "smokeLines");

    @ProcessElement
    public void process(@Element String line, OutputReceiver<String> out) {
      smokeLines.inc();
      out.output(line.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
