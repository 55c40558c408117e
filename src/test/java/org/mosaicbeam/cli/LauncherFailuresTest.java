package org.mosaicbeam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expected failures through the real launcher, {@code scripts/mosaicbeam}: each is one line on
 * stderr naming the input, option or path, exit status 2 for a usage or input error and 1 for a
 * runtime failure; {@code --verbose} adds the stack trace. (Each of these printed a stack trace
 * with status 1.)
 */
class LauncherFailuresTest {
  @TempDir static Path dir;
  private static Path sample;

  @BeforeAll
  static void builtAndSample() throws Exception {
    LauncherRun.markBuilt();
    sample = dir.resolve("sample");
    LauncherRun generated =
        launch(
            List.of(),
            "generate-oid-sample",
            "--rows=8000",
            "--plateImageFraction=0.03",
            "--output=" + sample);
    assertEquals(0, generated.status(), generated.err());
  }

  @Test
  void anOutputFolderThatCannotBeWrittenIsOneLineBeforeAnyWork() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "in the way");
    LauncherRun run = dataset(Map.of(), "--output=" + file.resolve("out"));
    assertOneLine(
        run,
        2,
        "mosaicbeam dataset: error: --output="
            + file.resolve("out")
            + ": cannot create that folder: ");

    LauncherRun verbose = dataset(Map.of(), "--output=" + file.resolve("out"), "--verbose");
    assertEquals(2, verbose.status(), verbose.err());
    assertTrue(verbose.err().contains("\tat org.mosaicbeam.io.OutputCheck"), verbose.err());
  }

  /** A full disk, for real: the JVM runs under ulimit -f, and the kernel refuses the write. */
  @Test
  void aWriteThatFailsIsOneLineNamingTheFile() throws Exception {
    Path big = dir.resolve("big");
    LauncherRun generated =
        launch(
            List.of(),
            "generate-oid-sample",
            "--rows=120000",
            "--plateImageFraction=0.4",
            "--noImages=true",
            "--output=" + big);
    assertEquals(0, generated.status(), generated.err());
    Path out = dir.resolve("full");
    // 340 KiB: above the 275 KiB native library Beam unpacks at start-up, below the ~420 KB
    // report.json
    LauncherRun run =
        launch(
            List.of("bash", "-c", "ulimit -f 340 && exec \"$@\"", "bash"),
            "dataset",
            "--annotations=" + big.resolve("oidv6-train-annotations-bbox.csv"),
            "--classDescriptions=" + big.resolve("class-descriptions-boxable.csv"),
            "--images=" + Files.createDirectories(dir.resolve("no-images")),
            "--output=" + out);
    assertOneLine(
        run,
        1,
        "mosaicbeam dataset: error: cannot write "
            + out.resolve("report.json")
            + ": File too large");
  }

  @Test
  void binaryGarbageCsvsAreOneLineNamingTheFile() throws Exception {
    Path garbage = dir.resolve("garbage.csv");
    byte[] bytes = new byte[4096];
    new java.util.Random(12).nextBytes(bytes);
    bytes[0] = '"';
    bytes[7] = '\n';
    bytes[8] = '"';
    Files.write(garbage, bytes);
    assertOneLine(
        dataset(Map.of(), "--classDescriptions=" + garbage, "--output=" + dir.resolve("g1")),
        2,
        "mosaicbeam dataset: error: --classDescriptions " + garbage + ": ");
    assertOneLine(
        dataset(Map.of(), "--annotations=" + garbage, "--output=" + dir.resolve("g2")),
        2,
        "mosaicbeam dataset: error: --annotations " + garbage + ": ");
  }

  @Test
  void aCorruptFaceModelIsOneLineNamingTheFlag() throws Exception {
    Path model = dir.resolve("garbage.onnx");
    byte[] bytes = new byte[5000];
    new java.util.Random(5).nextBytes(bytes);
    Files.write(model, bytes);
    Path video = Files.writeString(dir.resolve("in.mp4"), "the model is checked first");
    LauncherRun run =
        launch(
            List.of(),
            "anonymize",
            "--input=" + video,
            "--output=" + dir.resolve("anon/out.mp4"),
            "--faceModel=" + model);
    assertOneLine(
        run,
        2,
        "mosaicbeam anonymize: error: --faceModel="
            + model
            + ": not a model ONNX Runtime can load");
  }

  @Test
  void anS3OutputWhoseEndpointIsDownIsOneLineBeforeAnyWork() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    LauncherRun run =
        dataset(
            Map.of(
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "not-a-secret",
                "AWS_REGION",
                "us-east-1"),
            "--output=s3://bucket/plates/",
            "--endpoint=http://127.0.0.1:" + closedPort,
            "--s3PathStyle=true");
    assertOneLine(
        run, 1, "mosaicbeam dataset: error: cannot write to --output=s3://bucket/plates/: ");
    assertTrue(run.err().contains("Connection refused"), run.err());
  }

  private static void assertOneLine(LauncherRun run, int status, String start) {
    assertEquals(status, run.status(), run.err());
    assertEquals(1, run.errLines().size(), run.err());
    assertTrue(run.err().startsWith(start), run.err());
  }

  private static LauncherRun dataset(Map<String, String> env, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "dataset",
                "--annotations=" + sample.resolve("oidv6-train-annotations-bbox.csv"),
                "--classDescriptions=" + sample.resolve("class-descriptions-boxable.csv"),
                "--images=" + sample.resolve("images")));
    args.addAll(List.of(extra));
    return launch(List.of(), env, args);
  }

  private static LauncherRun launch(List<String> prefix, String... args) throws Exception {
    return launch(prefix, Map.of(), List.of(args));
  }

  private static LauncherRun launch(List<String> prefix, Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    return LauncherRun.launch(dir, prefix, env, args);
  }
}
