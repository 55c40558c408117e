package org.mosaicbeam.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
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

  public static void write(String path, String mimeType, Body body) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temp =
        target
            .getCurrentDirectory()
            .resolve(
                "." + target.getFilename() + ".tmp-" + UUID.randomUUID(),
                org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
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
}
