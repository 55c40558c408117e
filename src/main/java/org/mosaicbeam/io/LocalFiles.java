package org.mosaicbeam.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Bridges Beam {@link FileSystems} paths (local or s3://) and tools that need a local file (FFmpeg,
 * the SDK's file upload): fetch a remote file to a local temp file, publish a local file anywhere.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * The file at {@code path} (local or s3://), or empty when there is none. Unlike a bare {@code
   * FileSystems.match}, a missing local file costs one stat: Beam's LocalFileSystem treats a path
   * that does not exist as a glob and walks its whole parent folder tree looking for it.
   */
  public static Optional<MatchResult.Metadata> matchExisting(String path) throws IOException {
    if (isLocal(path) && !localFile(path).isFile()) {
      return Optional.empty();
    }
    List<MatchResult.Metadata> found =
        FileSystems.match(List.of(path), EmptyMatchTreatment.ALLOW).get(0).metadata();
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * True when {@code path} is on the local filesystem (a plain path or file://). Decided from the
   * text alone, so it also answers for folders ("s3://b/out/") and unregistered schemes.
   */
  public static boolean isLocal(String path) {
    return !path.contains("://") || path.startsWith("file://");
  }

  /** A local path ({@link #isLocal}) as a {@link java.io.File}, without its file:// prefix. */
  public static java.io.File localFile(String path) {
    return new java.io.File(path.replaceFirst("^file://", ""));
  }

  /**
   * A local path holding the file's bytes: the file itself when it is local, otherwise a copy in
   * {@code tempDir} (the caller deletes it). The copy keeps the file name's extension, which FFmpeg
   * uses to guess the format.
   */
  public static Path localize(String path, Path tempDir) throws IOException {
    ResourceId source =
        matchExisting(path)
            .orElseThrow(() -> new java.io.FileNotFoundException("no such file: " + path))
            .resourceId();
    if ("file".equals(source.getScheme())) {
      return Path.of(source.toString());
    }
    String name = source.getFilename() == null ? "file" : source.getFilename();
    int dot = name.lastIndexOf('.');
    Path local = Files.createTempFile(tempDir, "localized-", dot >= 0 ? name.substring(dot) : "");
    try (InputStream in = Channels.newInputStream(FileSystems.open(source))) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(local);
      throw e;
    }
    return local;
  }

  /**
   * {@link #localize} into the system temp folder, as a resource: closing it deletes the copy
   * (never a file that was local already).
   */
  public static Localized localized(String path) throws IOException {
    Path local = localize(path, Path.of(System.getProperty("java.io.tmpdir")));
    return new Localized(local, !isLocal(path));
  }

  /** A local path holding a file's bytes; {@code copy} when it is a temp copy to delete. */
  public record Localized(Path path, boolean copy) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (copy) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Copies a local file to {@code target} (local or s3://) atomically: temp name, then rename. */
  public static void publish(Path local, String target, String mimeType) throws IOException {
    AtomicOutput.write(target, mimeType, out -> Files.copy(local, out));
  }
}
