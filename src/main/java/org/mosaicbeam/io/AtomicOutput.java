package org.mosaicbeam.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Writes a file through Beam {@link FileSystems} (local path or s3://) so that readers never see it
 * half-written: the bytes go to a hidden temporary sibling, which is renamed over the target only
 * after a successful close. On failure the temporary file is deleted.
 */
public final class AtomicOutput {
  private AtomicOutput() {}

  /** Writes the body of a file. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes a file through a local path (FFmpeg's MP4 muxer seeks back to write its index). */
  @FunctionalInterface
  public interface LocalBody<T> {
    T writeTo(Path localFile) throws Exception;
  }

  public static void write(String path, String mimeType, Body body) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temp = tempFor(target);
    boolean moved = false;
    try {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, mimeType))) {
        body.writeTo(out);
      }
      // Local: an atomic Files.move that replaces the target; S3: copy then delete.
      FileSystems.rename(List.of(temp), List.of(target));
      moved = true;
    } finally {
      if (!moved) {
        FileSystems.delete(List.of(temp), StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }
  }

  /**
   * Like {@link #write} for a writer that needs a local file: a local target's hidden temporary
   * sibling is renamed over it (no copy of a video-sized file); for a remote target the writer gets
   * a local temp file, which is then published with {@link LocalFiles#publish} and deleted.
   *
   * @return what the writer returned
   */
  public static <T> T writeLocal(String path, String mimeType, LocalBody<T> body) throws Exception {
    if (LocalFiles.isLocal(path)) {
      ResourceId target = FileSystems.matchNewResource(path, false);
      ResourceId temp = tempFor(target);
      Path local = LocalFiles.localFile(temp.toString()).toPath();
      Files.createDirectories(local.getParent()); // as FileSystems.create does for a local file
      boolean moved = false;
      try {
        T result = body.writeTo(local);
        FileSystems.rename(List.of(temp), List.of(target));
        moved = true;
        return result;
      } finally {
        if (!moved) {
          Files.deleteIfExists(local);
        }
      }
    }
    Path local =
        Files.createTempFile(
            "mosaicbeam-out-", "-" + FileSystems.matchNewResource(path, false).getFilename());
    try {
      T result = body.writeTo(local);
      LocalFiles.publish(local, path, mimeType);
      return result;
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private static ResourceId tempFor(ResourceId target) {
    return target
        .getCurrentDirectory()
        .resolve(
            "." + target.getFilename() + ".tmp-" + UUID.randomUUID(),
            org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
  }
}
