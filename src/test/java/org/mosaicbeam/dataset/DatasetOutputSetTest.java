package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset run's files appear together or not at all: a re-run that fails while writing them (here
 * a real "File too large" from the kernel: the JVM runs under {@code ulimit -f}, as a full disk
 * fails a write) leaves the previous run's manifest, images.txt, report.json and dead-letters.csv
 * byte for byte, and no staging folder.
 */
class DatasetOutputSetTest {
  /**
   * KiB per file for the failing run: above Snappy's 275 KiB native library, which Beam unpacks to
   * the temp folder at start-up, below that run's ~420 KB report.json.
   */
  private static final int FILE_SIZE_LIMIT_KIB = 340;

  @TempDir Path dir;

  @Test
  void aRunThatFailsWhileWritingLeavesThePreviousFilesAsTheyWere() throws Exception {
    Path good = dir.resolve("good");
    DatasetRun.generateSample(good, 8000);
    Path out = dir.resolve("out");
    DatasetRun first =
        DatasetRun.on(good, List.of("--images=" + good.resolve("images"), "--output=" + out));
    assertEquals(0, first.exitCode(), first.output());
    Map<String, byte[]> before = files(out);
    assertEquals(
        List.of(
            WriteOutputs.DEAD_LETTERS,
            WriteOutputs.IMAGES,
            WriteOutputs.MANIFEST,
            DatasetPage.PAGE,
            WriteOutputs.REPORT),
        List.copyOf(before.keySet()));

    // Another dataset into the same folder: 3,000 images, none on disk, so its report.json lists
    // them all (~420 KB) and is the file the limit stops, after manifest.jsonl and images.txt.
    Path other = dir.resolve("other");
    DatasetRun.generateSample(
        other, "--rows=120000", "--plateImageFraction=0.4", "--noImages=true");
    Path noImages = Files.createDirectories(dir.resolve("no-images"));
    DatasetRun failed =
        DatasetRun.on(
            List.of("bash", "-c", "ulimit -f " + FILE_SIZE_LIMIT_KIB + " && exec \"$@\"", "bash"),
            other,
            List.of("--images=" + noImages, "--output=" + out));

    Map<String, byte[]> after = files(out);
    assertEquals(before.keySet(), after.keySet());
    before.forEach(
        (name, bytes) -> assertEquals(new String(bytes), new String(after.get(name)), name));
    assertEquals(1, failed.exitCode(), failed.output());
    assertTrue(
        failed
            .output()
            .contains("cannot write " + out.resolve(WriteOutputs.REPORT) + ": File too large"),
        failed.output());
    try (Stream<Path> all = Files.walk(dir)) {
      assertEquals(
          List.of(),
          all.filter(p -> p.getFileName().toString().startsWith(".mosaicbeam-staging-")).toList());
    }
  }

  private static Map<String, byte[]> files(Path folder) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> all = Files.list(folder)) {
      for (Path p : all.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
