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

/**
 * scripts/nightly-rebuild end to end: a dated folder is published and latest points at it; a
 * second run the same day does nothing; a failed or invalid run leaves latest untouched; an
 * overlapping run is refused by the lock.
 */
class NightlyRebuildTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
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
    // Stand-in for "scripts/mosaicbeam dataset": writes a manifest + report into --output, or
    // fails / writes an empty manifest when the job file says so.
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

  @Test
  void publishesOnceADayAndFailuresLeaveLatestUntouched() throws Exception {
    assertEquals(0, nightly(DAY).exitCode);
    Path published = outputRoot.resolve(DAY);
    assertEquals(DAY, Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
    assertTrue(Files.isRegularFile(outputRoot.resolve("latest/output.manifest")));
    long modified = Files.getLastModifiedTime(published.resolve("output.manifest")).toMillis();

    // Same day again: a no-op (the job does not even run).
    Result again = nightly(DAY);
    assertEquals(0, again.exitCode, again.output);
    assertTrue(again.output.contains("nothing to do"), again.output);
    assertEquals(1, Files.readAllLines(runs).size());
    assertEquals(modified, Files.getLastModifiedTime(published.resolve("output.manifest")).toMillis());

    // Next day, the job fails: exit 1, latest still points at the last good day, nothing left over.
    Files.writeString(argsFile, "fail");
    Result failed = nightly("2026-11-23");
    assertEquals(1, failed.exitCode, failed.output);
    assertEquals(DAY, Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
    assertFalse(Files.exists(outputRoot.resolve("2026-11-23")));
    assertEquals(List.of(".nightly.lock", DAY, "latest", "logs"), listing());
    assertTrue(Files.readString(outputRoot.resolve("logs/nightly-2026-11-23.log")).contains("failing as asked"));

    // The job "succeeds" but writes an empty manifest: exit 4, latest untouched.
    Files.writeString(argsFile, "empty");
    assertEquals(4, nightly("2026-11-23").exitCode);
    assertEquals(DAY, Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
    assertEquals(List.of(".nightly.lock", DAY, "latest", "logs"), listing());

    // A good run the next day moves latest.
    Files.writeString(argsFile, "ok");
    assertEquals(0, nightly("2026-11-23").exitCode);
    assertEquals("2026-11-23", Files.readSymbolicLink(outputRoot.resolve("latest")).toString());
  }

  @Test
  void anOverlappingRunIsRefusedByTheLock() throws Exception {
    Files.createDirectories(outputRoot);
    Process holder =
        new ProcessBuilder("flock", outputRoot.resolve(".nightly.lock").toString(), "sleep", "60").start();
    try {
      Thread.sleep(500); // let flock take the lock
      Result refused = nightly(DAY);
      assertEquals(3, refused.exitCode, refused.output);
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

  private Result nightly(String day) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("scripts/nightly-rebuild").toString(), argsFile.toString(), outputRoot.toString())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("MOSAICBEAM_NIGHTLY_DATE", day);
    env.put("MOSAICBEAM_NIGHTLY_COMMAND", job.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES));
    return new Result(process.exitValue(), output);
  }
}
