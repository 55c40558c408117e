package org.mosaicbeam.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of {@code scripts/mosaicbeam} as a user starts it: exit status, stdout, stderr. */
record LauncherRun(int status, String out, String err) {
  static final Path LAUNCHER = Path.of("scripts", "mosaicbeam").toAbsolutePath();

  List<String> errLines() {
    return err.lines().toList();
  }

  String firstErr() {
    return err.lines().findFirst().orElse("");
  }

  /**
   * Maven has just compiled target/classes for this test run: mark them built, or the launcher
   * would start a second Maven build inside this one.
   */
  static void markBuilt() throws IOException {
    Path stamp = Path.of("target", "classes", ".built");
    Files.createDirectories(stamp.getParent());
    Files.deleteIfExists(stamp);
    Files.createFile(stamp);
  }

  /**
   * Runs {@code prefix... scripts/mosaicbeam args...} with {@code env} added, its output captured
   * in files under {@code dir}.
   */
  static LauncherRun launch(
      Path dir, List<String> prefix, Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.add(LAUNCHER.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("MOSAICBEAM_JAVA_OPTS", "-Xmx1g");
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    Process process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "launcher still running: " + command);
    return new LauncherRun(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
