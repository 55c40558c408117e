package org.mosaicbeam.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mosaicbeam.io.S3ProxyServer;

/**
 * Runs {@code dataset} in its own JVM, as the launcher does once built: Beam's options registry is
 * global per JVM, and other tests' options interfaces (same property names, other defaults) must
 * not meet dataset's.
 */
record DatasetRun(int exitCode, String output) {

  /** Generates an OID-shaped sample (CSV files and images/) of {@code rows} train rows. */
  static void generateSample(Path sample, int rows) throws IOException, InterruptedException {
    generateSample(
        sample,
        "--rows=" + rows,
        "--plateImageFraction=0.03",
        "--malformedRows=0",
        "--missingImages=0");
  }

  /** Same with the generator's own flags. */
  static void generateSample(Path sample, String... flags)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.mosaicbeam.cli.Main",
                "generate-oid-sample",
                "--output=" + sample));
    command.addAll(List.of(flags));
    // Its own JVM: its options interface (--output default "sample") cannot share one with
    // dataset's. Its summary line is not the test's output (Surefire's channel is this stdout).
    Process generator =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (generator.waitFor() != 0) {
      throw new IllegalStateException("generate-oid-sample failed");
    }
  }

  /** The sample's CSVs, the plate classes, a fixed creation date, then {@code extra}. */
  static DatasetRun on(Path sample, List<String> extra) throws IOException, InterruptedException {
    return on(List.of(), sample, extra);
  }

  /** Same, the JVM started by {@code prefix} (e.g. a shell that sets a ulimit first). */
  static DatasetRun on(List<String> prefix, Path sample, List<String> extra)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--annotations="
                    + sample.resolve("oidv6-train-annotations-bbox.csv")
                    + ","
                    + sample.resolve("validation-annotations-bbox.csv")
                    + ","
                    + sample.resolve("test-annotations-bbox.csv"),
                "--classDescriptions=" + sample.resolve("class-descriptions-boxable.csv"),
                "--classes=Vehicle registration plate,Car,Bus",
                "--sourceRefPrefix=s3://my-bucket/oid/",
                "--creationDate=2026-01-01T00:00:00Z"));
    args.addAll(extra);
    return run(prefix, args);
  }

  /** {@code prefix} (e.g. a shell with a ulimit) then the JVM running {@code dataset args}. */
  static DatasetRun run(List<String> prefix, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            java(),
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            "org.mosaicbeam.cli.Main",
            "dataset"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(S3ProxyServer.childEnvironment());
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new DatasetRun(process.waitFor(), output);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
