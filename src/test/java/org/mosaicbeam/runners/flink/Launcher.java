package org.mosaicbeam.runners.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a subcommand the way {@code scripts/mosaicbeam} does once it has built the project (same
 * main class, classpath, {@code mosaicbeam.home}, hence the same
 * runners/&lt;runner&gt;/options.args), without the launcher's "build if stale" step: inside {@code
 * mvn verify} that step would run a second Maven build over the jars this test runs from.
 */
public final class Launcher {
  private Launcher() {}

  public record Result(int exitCode, String output) {}

  public static Result run(List<String> args, Path log) throws IOException, InterruptedException {
    Process process = start(args, log);
    if (!process.waitFor(4, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "mosaicbeam " + args.get(0) + " did not finish in 4 minutes:\n" + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts the subcommand without waiting (a streaming job); output goes to {@code log}. */
  public static Process start(List<String> args, Path log) throws IOException {
    Path root = LocalFlinkCluster.ROOT;
    List<String> command = new ArrayList<>(List.of("java", "-Xmx2g", "-Dmosaicbeam.home=" + root));
    command.add("org.mosaicbeam.cli.Main");
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The classpath goes through the environment, as in the launcher (ONNX Runtime and long argv).
    builder.environment().put("CLASSPATH", classpath());
    return builder.start();
  }

  /** The launcher's classpath: target/classes plus the runtime dependencies. */
  public static String classpath() throws IOException {
    Path root = LocalFlinkCluster.ROOT;
    return root.resolve("target/classes")
        + ":"
        + Files.readString(root.resolve("target/classpath.txt")).strip();
  }
}
