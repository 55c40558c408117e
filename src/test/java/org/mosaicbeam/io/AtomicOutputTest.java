package org.mosaicbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {

  @Test
  void writesThenReplacesWithoutLeavingTempFiles(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("manifest.jsonl");
    AtomicOutput.write(
        target.toString(),
        "text/plain",
        out -> out.write("one\n".getBytes(StandardCharsets.UTF_8)));
    AtomicOutput.write(
        target.toString(),
        "text/plain",
        out -> out.write("two\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("two\n", Files.readString(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the target remains");
    }
  }

  @Test
  void failedWriteLeavesOldContentAndNoTempFile(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("report.txt");
    Files.writeString(target, "previous");
    assertThrows(
        IOException.class,
        () ->
            AtomicOutput.write(
                target.toString(),
                "text/plain",
                out -> {
                  out.write("half".getBytes(StandardCharsets.UTF_8));
                  throw new IOException("disk full");
                }));
    assertEquals("previous", Files.readString(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")));
    }
  }

  /** A writer that needs a path (the MP4 muxer): the same guarantees, and the folder is made. */
  @Test
  void localWriterReplacesOnlyWhenDone(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("name/mosaic/name.mp4");
    String written =
        AtomicOutput.writeLocal(
            target.toString(),
            "video/mp4",
            tmp -> {
              assertFalse(tmp.equals(target), "written under another name first");
              Files.writeString(tmp, "one");
              return "result";
            });
    assertEquals("result", written);
    assertEquals("one", Files.readString(target));
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicOutput.writeLocal(
                target.toString(),
                "video/mp4",
                tmp -> {
                  Files.writeString(tmp, "half");
                  throw new IllegalStateException("muxer failed");
                }));
    assertEquals("one", Files.readString(target));
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "only the target remains");
    }
  }
}
