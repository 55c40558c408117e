package org.mosaicbeam.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.joda.time.Duration;
import org.mosaicbeam.anonymize.watch.WatchForVideos;
import org.mosaicbeam.anonymize.watch.CopyToOutput;

/**
 * Runs pipelines on a real standalone Flink session cluster (a JobManager and a TaskManager JVM
 * started by {@code scripts/flink-cluster}), submitted with the shaded job jar the build makes
 * ({@code target/mosaicbeam-job.jar}, built in the package phase before this runs), and checks
 * the results, the metrics the web UI shows, and that stopping the cluster really ends both JVMs.
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
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive after stop");
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

  /** A small Beam pipeline, submitted from this JVM, runs on the cluster and reports its metrics. */
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
    JsonNode accumulators = cluster.rest("/jobs/" + job.get("jid").asText() + "/accumulators");
    assertTrue(accumulators.toString().contains("smokeLines"), accumulators.toString());
  }

  /**
   * The {@code --watch} source as a streaming job on the cluster: files dropped into a folder are
   * picked up (here by a stand-in step that copies them to their output path) while the job runs.
   */
  @Test
  void watchStreamRunsOnCluster() throws Exception {
    Path watched = Files.createDirectories(temp.resolve("watch/in"));
    Path output = temp.resolve("watch/out");
    String jobName = "mosaicbeam-watch-" + UUID.randomUUID();
    FlinkPipelineOptions options = clusterOptions(jobName);
    options.setStreaming(true);
    options.setAttachedMode(false); // run() returns once submitted; the test cancels the job
    options.setParallelism(1);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(new WatchForVideos(watched.toString(), output.toString(), Duration.millis(500), Duration.standardSeconds(1)))
        .apply(ParDo.of(new CopyToOutput(output.toString())));
    pipeline.run();
    String jobId = null;
    try {
      jobId = waitForJob(jobName, "RUNNING").get("jid").asText();
      Files.writeString(watched.resolve("first.mp4"), "first video");
      Files.writeString(watched.resolve("second.mov"), "second video");
      Path first = Path.of(WatchForVideos.outputFor(output.toString(), watched.resolve("first.mp4").toString()));
      Path second = Path.of(WatchForVideos.outputFor(output.toString(), watched.resolve("second.mov").toString()));
      long deadline = System.currentTimeMillis() + 90_000;
      while (!(Files.exists(first) && Files.exists(second)) && System.currentTimeMillis() < deadline) {
        Thread.sleep(250);
      }
      assertEquals("first video", Files.readString(first));
      assertEquals("second video", Files.readString(second));
      assertEquals("RUNNING", cluster.rest("/jobs/" + jobId).get("state").asText(), "the stream keeps running");
    } finally {
      if (jobId != null) {
        cluster.cancel(jobId);
      }
    }
  }

  private static FlinkPipelineOptions clusterOptions(String jobName) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--flinkMaster=" + cluster.flinkMaster(),
                "--jobName=" + jobName,
                // the job jar plus this test's own classes (Beam zips a directory into a jar)
                "--filesToStage=" + JOB_JAR + "," + LocalFlinkCluster.ROOT.resolve("target/test-classes"))
            .as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    return options;
  }

  private static JsonNode waitForJob(String name, String state) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      for (JsonNode job : cluster.rest("/jobs/overview").get("jobs")) {
        if (job.get("name").asText().equals(name) && job.get("state").asText().equals(state)) {
          return job;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no job " + name + " in state " + state + " within 60 s");
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
