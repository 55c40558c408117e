package org.mosaicbeam.runners.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.runners.flink.Launcher;
import org.mosaicbeam.runners.flink.LocalFlinkCluster;

/**
 * scripts/nightly-rebuild end to end with the real dataset pipeline: a dated folder is published
 * and latest points at it; a second run the same day does nothing; a failed or invalid run leaves
 * latest untouched; an overlapping run is refused by the lock.
 */
class NightlyRebuildTest {
  private static final Path ROOT = LocalFlinkCluster.ROOT;
  private static final String DAY = "2026-11-22";

  @TempDir Path temp;
  private Path outputRoot;
  private Path argsFile;
  private Path job;
  private Path runs;

  @BeforeEach
  void jobStandIn() throws IOException {
    outputRoot = temp.resolve("datasets");
    argsFile = temp.resolve("job.args");
    runs = temp.resolve("runs.txt");
    // A small job for the cases the real pipeline cannot easily produce (an overlapping run, an
    // output that does not validate): writes a manifest + report into --output, or an empty
    // manifest when the job file says so.
    job = temp.resolve("job.sh");
    Files.writeString(
        job,
        """
        #!/usr/bin/env bash
        set -e
        echo run >> "%s"
        out=""; mode=""
        for a in "$@"; do
          case "$a" in --output=*) out="${a#--output=}" ;; @*) mode="$(cat "${a#@}")" ;; esac
        done
        [[ "$mode" == fail ]] && { echo "job: failing as asked" >&2; exit 1; }
        mkdir -p "$out"
        echo '{"images_kept": 2}' > "$out/report.json"
        if [[ "$mode" == empty ]]; then : > "$out/output.manifest"; else
          printf '%%s\\n' '{"source-ref":"s3://b/a.jpg"}' '{"source-ref":"s3://b/b.jpg"}' > "$out/output.manifest"
        fi
        """
            .formatted(runs));
    Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(argsFile, "ok");
  }

  /** The real dataset pipeline (run as the launcher runs it) on generated OID-shaped data. */
  @Test
  void publishesOnceADayAndAFailedRunLeavesLatestUntouched() throws Exception {
    Path sample = temp.resolve("sample");
    Launcher.Result generated =
        Launcher.run(
            List.of("generate-oid-sample", "--rows=5000", "--output=" + sample),
            temp.resolve("generate.log"));
    assertEquals(0, generated.exitCode(), generated.output());
    Files.writeString(
        argsFile,
        String.join(
                "\n",
                Files.readString(ROOT.resolve("pipelines/sample-plates.args")),
                "--annotations="
                    + sample.resolve("oidv6-train-annotations-bbox.csv")
                    + ","
                    + sample.resolve("validation-annotations-bbox.csv"),
                "--classDescriptions=" + sample.resolve("class-descriptions-boxable.csv"),
                "--images=" + sample.resolve("images"))
            + "\n");
    String dataset = "java -Dmosaicbeam.home=" + ROOT + " org.mosaicbeam.cli.Main dataset";

    Result first = nightly(DAY, dataset);
    assertEquals(0, first.exitCode, first.output);
    Path published = outputRoot.resolve(DAY);
    assertEquals(DAY, Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
    assertTrue(Files.readAllLines(outputRoot.resolve("latest/manifest.jsonl")).size() > 0);
    long modified = Files.getLastModifiedTime(published.resolve("manifest.jsonl")).toMillis();

    // Same day again: a no-op (the pipeline does not even run), today's folder untouched.
    Result again = nightly(DAY, dataset);
    assertEquals(0, again.exitCode, again.output);
    assertTrue(again.output.contains("nothing to do"), again.output);
    assertEquals(
        modified, Files.getLastModifiedTime(published.resolve("manifest.jsonl")).toMillis());

    // Next day the pipeline fails (its annotations are gone): exit 1, latest still on the last
    // good day, nothing half-built left behind, the reason in the day's log.
    Files.writeString(
        argsFile, Files.readString(argsFile) + "--annotations=" + temp.resolve("gone.csv") + "\n");
    Result failed = nightly("2026-11-23", dataset);
    assertEquals(1, failed.exitCode, failed.output);
    assertEquals(DAY, Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
    assertEquals(List.of(".nightly.lock", DAY, "latest", "logs"), listing());
    assertTrue(
        Files.readString(outputRoot.resolve("logs/nightly-2026-11-23.log")).contains("gone.csv"));
  }

  /** A job that exits 0 but writes an empty manifest is not published (exit 4). */
  @Test
  void anInvalidOutputIsNotPublished() throws Exception {
    Files.writeString(argsFile, "empty");
    assertEquals(4, nightly(DAY, job.toString()).exitCode);
    assertEquals(1, Files.readAllLines(runs).size(), "the job ran");
    assertFalse(Files.exists(outputRoot.resolve("latest")));
    assertEquals(List.of(".nightly.lock", "logs"), listing());
    Files.writeString(argsFile, "ok");
    assertEquals(0, nightly(DAY, job.toString()).exitCode);
    assertEquals(2, Files.readAllLines(runs).size(), "an unpublished day is run again");
    assertEquals(DAY, Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
  }

  @Test
  void anOverlappingRunIsRefusedByTheLock() throws Exception {
    Files.createDirectories(outputRoot);
    Process holder =
        new ProcessBuilder("flock", outputRoot.resolve(".nightly.lock").toString(), "sleep", "60")
            .start();
    try {
      Thread.sleep(500); // let flock take the lock
      Result refused = nightly(DAY, job.toString());
      assertEquals(3, refused.exitCode, refused.output);
      assertFalse(Files.exists(runs), "the job must not start while another run holds the lock");
      assertFalse(Files.exists(outputRoot.resolve(DAY)));
      assertFalse(Files.exists(outputRoot.resolve("latest")));
    } finally {
      holder.destroy();
      holder.waitFor();
    }
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(outputRoot)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private record Result(int exitCode, String output) {}

  private Result nightly(String day, String command) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                ROOT.resolve("scripts/nightly-rebuild").toString(),
                argsFile.toString(),
                outputRoot.toString())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("MOSAICBEAM_NIGHTLY_DATE", day);
    env.put("MOSAICBEAM_NIGHTLY_COMMAND", command);
    // validate-dataset through the launcher's entry point on the test classpath (no build here)
    env.put("MOSAICBEAM_LAUNCHER", "java -Dmosaicbeam.home=" + ROOT + " org.mosaicbeam.cli.Main");
    env.put("CLASSPATH", Launcher.classpath());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES));
    return new Result(process.exitValue(), output);
  }
}
