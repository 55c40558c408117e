package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, class 9: {@code kill -9} mid-anonymize left {@code .mosaicbeam-work-<uuid>/} next to
 * the output, and every run left files in the temp folder (ONNX Runtime's 28 MB {@code
 * onnxruntime-java*} copy of its library, its telemetry's {@code mat-debug-<pid>.log}). The next
 * run removes the work folders of dead runs and never a live run's; a run leaves nothing in the
 * temp folder. The runs that get killed or that watch the temp folder are real {@code mosaicbeam
 * anonymize} processes (with the real detectors, in the environment scripts/mosaicbeam gives them);
 * the clean-up run is in this JVM.
 */
class LeftoversTest {
  @TempDir static Path dir;
  static File clip;

  @BeforeAll
  static void makeClip() throws Exception {
    clip = dir.resolve("drive.mp4").toFile();
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=640x360:rate=30:duration=20",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "30",
        clip.getPath());
  }

  /**
   * {@code mosaicbeam anonymize ARGS} in a new JVM whose temp folder (Java's and $TMPDIR) is tmp.
   */
  static Process anonymize(File tmp, File log, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.io.tmpdir=" + tmp,
                "-Dmosaicbeam.home=" + new File("").getAbsolutePath(),
                "org.mosaicbeam.cli.Main",
                "anonymize"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
    Map<String, String> env = pb.environment();
    // through the environment, as the launcher does (a long -cp crashes ONNX Runtime 1.29)
    env.put("CLASSPATH", System.getProperty("java.class.path"));
    env.put("TMPDIR", tmp.getPath());
    env.remove("ORT_DISABLE_TELEMETRY");
    env.putAll(launcherEnvironment());
    return pb.start();
  }

  /** The variables scripts/mosaicbeam exports as constants ({@code export NAME=value}). */
  static Map<String, String> launcherEnvironment() throws Exception {
    String script = Files.readString(Path.of("scripts/mosaicbeam"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^export ([A-Z_]+)=([A-Za-z0-9_]+)$").matcher(script);
    Map<String, String> env = new java.util.HashMap<>();
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
    return env;
  }

  @Test
  void aRunLeavesNothingInTheTempFolder() throws Exception {
    File tmp = dir.resolve("tmp-clean-run").toFile();
    tmp.mkdirs();
    File log = dir.resolve("clean-run.log").toFile();
    File out = dir.resolve("clean/out.mp4").toFile();
    Process p =
        anonymize(
            tmp, log, "--input=" + clip, "--output=" + out, "--detectEvery=30", "--holdFrames=15");
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished");
    String output = Files.readString(log.toPath());
    assertEquals(0, p.exitValue(), output);
    assertTrue(out.isFile(), output);
    assertEquals(List.of(), List.of(tmp.list()), "left in the temp folder; run said:\n" + output);
    assertFalse(output.contains("telemetry"), output);
    assertEquals(
        List.of("out.mp4", "report-files", "report.html", "results.jsonl"),
        sorted(out.getParentFile().list()));
  }

  @Test
  void theWorkFolderOfAKilledRunIsRemovedByTheNextRun() throws Exception {
    File tmp = dir.resolve("tmp-killed-run").toFile();
    tmp.mkdirs();
    File outDir = dir.resolve("killed").toFile();
    File log = dir.resolve("killed-run.log").toFile();
    Process p =
        anonymize(
            tmp, log, "--input=" + clip, "--output=" + outDir + "/out.mp4", "--segmentFrames=60");
    File work = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (work == null && System.nanoTime() < deadline && p.isAlive()) {
      File[] f = outDir.listFiles((d, n) -> n.startsWith(WorkFolder.PREFIX));
      if (f != null
          && f.length == 1
          && new File(f[0], WorkFolder.OWNER).isFile()
          && f[0].list((d, n) -> n.endsWith(".bin")).length > 0) {
        work = f[0]; // a segment is written: the run is mid-way
      } else {
        Thread.sleep(50);
      }
    }
    assertTrue(work != null, "the run got going: " + Files.readString(log.toPath()));
    p.destroyForcibly(); // SIGKILL: no finally, no shutdown hook
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(work.isDirectory(), "kill -9 leaves the work folder");
    assertEquals(List.of(), List.of(tmp.list()), "nothing in the temp folder even so");

    AnonymizePipeline.Summary s =
        AnonymizePipeline.run(
            AnonymizePipelineTest.options(
                "--input=" + clip,
                "--output=" + outDir + "/next.mp4",
                "--detectEvery=30",
                "--holdFrames=15"),
            AnonymizePipelineTest.PATCH);
    assertEquals(1, s.videos().size());
    assertFalse(work.exists(), "the next run removed the dead run's folder");
    assertEquals(
        List.of("next.mp4", "report-files", "report.html", "results.jsonl"), sorted(outDir.list()));
  }

  @Test
  void onlyTheFoldersOfDeadRunsAreRemoved() throws Exception {
    File outDir = dir.resolve("mixed").toFile();
    outDir.mkdirs();
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Instant goneStart = gone.info().startInstant().orElse(Instant.EPOCH);
      Instant sleeperStart = sleeper.info().startInstant().orElseThrow();
      File dead = folder(outDir, "dead", gone.pid(), goneStart, WorkFolder.host());
      File live = folder(outDir, "live", sleeper.pid(), sleeperStart, WorkFolder.host());
      File reused =
          folder(
              outDir, "reused", sleeper.pid(), sleeperStart.minusSeconds(3600), WorkFolder.host());
      File otherHost = folder(outDir, "other-host", gone.pid(), goneStart, "another-machine");
      File noOwnerOld = new File(outDir, WorkFolder.PREFIX + "no-owner-old");
      noOwnerOld.mkdirs();
      noOwnerOld.setLastModified(System.currentTimeMillis() - 2 * 3600 * 1000);
      File noOwnerNew = new File(outDir, WorkFolder.PREFIX + "no-owner-new");
      noOwnerNew.mkdirs();

      AnonymizePipeline.Summary s =
          AnonymizePipeline.run(
              AnonymizePipelineTest.options(
                  "--input=" + clip,
                  "--output=" + outDir + "/out.mp4",
                  "--detectEvery=30",
                  "--holdFrames=15"),
              AnonymizePipelineTest.PATCH);
      assertEquals(1, s.videos().size());
      assertFalse(dead.exists(), "owner gone");
      assertFalse(reused.exists(), "owner's pid now belongs to another process");
      assertFalse(noOwnerOld.exists(), "no owner file, hours old");
      assertTrue(live.isDirectory(), "a live run's folder is kept");
      assertTrue(new File(live, "seg.bin").isFile(), "with its contents");
      assertTrue(otherHost.isDirectory(), "another machine's pid says nothing here");
      assertTrue(noOwnerNew.isDirectory(), "a run may be writing its owner file right now");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  static List<String> sorted(String[] names) {
    return Arrays.stream(names).sorted().toList();
  }

  private static File folder(File outDir, String name, long pid, Instant start, String host)
      throws Exception {
    File f = new File(outDir, WorkFolder.PREFIX + name);
    f.mkdirs();
    Files.writeString(new File(f, "seg.bin").toPath(), "segment packets");
    Files.writeString(
        new File(f, WorkFolder.OWNER).toPath(),
        "pid=" + pid + "\nstarted=" + start + "\nhost=" + host + "\n");
    return f;
  }
}
