package org.mosaicbeam.io;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.mosaicbeam.base.UserError;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Checks, before any work, that an output folder can take files: creates it and writes and deletes
 * a probe file (on s3://, a probe object). An output folder that could not be written was found
 * only when the whole pipeline had run, and an unreachable s3:// endpoint ended a run in a 104-line
 * stack trace.
 */
public final class OutputCheck {
  private OutputCheck() {}

  /**
   * @throws UserError when the folder cannot be created or written (the option names it; exit 2)
   * @throws IOException when the storage could not be reached (a runtime failure; exit 1)
   */
  public static void folder(String folder, String option) throws IOException {
    check(folder, option + "=" + folder);
  }

  /** {@link #folder} for the folder a file goes into. */
  public static void parentOf(String file, String option) throws IOException {
    String parent =
        LocalFiles.isLocal(file)
            ? LocalFiles.localFile(file).toPath().toAbsolutePath().getParent().toString()
            : FileSystems.matchNewResource(file, false).getCurrentDirectory().toString();
    check(parent, option + "=" + file + " (its folder " + parent + ")");
  }

  private static void check(String folder, String shown) throws IOException {
    if (LocalFiles.isLocal(folder)) {
      Path dir = LocalFiles.localFile(folder).toPath().toAbsolutePath();
      try {
        Files.createDirectories(dir);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new UserError(
            shown + ": cannot create that folder: " + e.getFile() + " is a file", e);
      } catch (IOException e) {
        throw new UserError(shown + ": cannot create that folder: " + OutputSet.reason(e), e);
      }
      try {
        Files.delete(Files.createTempFile(dir, ".mosaicbeam-probe-", ""));
      } catch (IOException e) {
        throw new UserError(shown + ": cannot write in that folder: " + OutputSet.reason(e), e);
      }
      return;
    }
    String dir = folder.endsWith("/") ? folder : folder + "/";
    ResourceId probe =
        FileSystems.matchNewResource(dir + ".mosaicbeam-probe-" + UUID.randomUUID(), false);
    try {
      try (WritableByteChannel channel = FileSystems.create(probe, "text/plain")) {
        // empty: only whether it can be written matters
      }
      FileSystems.delete(List.of(probe), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null
          && !cause.getClass().getName().startsWith("software.amazon.")) {
        cause = cause.getCause();
      }
      if (cause instanceof SdkServiceException service && service.statusCode() / 100 == 4) {
        // the server answered: no such bucket, access denied — the option names a wrong place
        throw new UserError(shown + ": cannot write there: " + cause.getMessage(), e);
      }
      throw new IOException("cannot write to " + shown + ": " + cause.getMessage(), e);
    }
  }
}
