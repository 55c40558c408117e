package org.mosaicbeam.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The files of one run, published together or not at all, so that a run that fails (disk full, a
 * crash, a file where a folder must go) leaves the previous run's files as they were and a folder
 * never mixes two runs (a failed dataset re-run had replaced manifest.jsonl, images.txt and
 * report.json but not dead-letters.csv).
 *
 * <p>Each file is written to a staging name first ({@link #stage}, {@link #write}); nothing is
 * visible until {@link #publish}, after every file was written.
 *
 * <ul>
 *   <li>Local: the staging folder {@code .mosaicbeam-staging-<pid>-<id>/} sits next to each target
 *       (same file system, so publishing is one {@code rename} per file, milliseconds for the whole
 *       set). A target that existed is hard-linked aside first; if any rename fails, the ones done
 *       are undone, so the previous files come back. A staging folder left by a killed run (its pid
 *       is gone) is deleted by the next set made in that folder.
 *   <li>A remote folder ({@link #forFolder}, e.g. s3://): S3 has no rename and no multi-object
 *       transaction, so the run writes under {@code runs/<id>/} and {@link SetPointer} publishes
 *       the small {@code current.json} naming it, last; readers go through the pointer.
 *   <li>Remote single files ({@link #forFiles}): staged under a hidden prefix and copied into place
 *       one by one after all were written (each object appears whole; the set does not appear
 *       atomically).
 * </ul>
 */
public final class OutputSet implements AutoCloseable {
  static final String STAGING = ".mosaicbeam-staging-";

  private final String runId =
      ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);

  /** The output folder when it is remote and published through {@link SetPointer}; else null. */
  private final String pointerFolder;

  private final Map<String, String> staged = new LinkedHashMap<>();
  private final Set<String> removals = new LinkedHashSet<>();
  private final Set<Path> stagingFolders = new LinkedHashSet<>();
  private boolean published;

  private OutputSet(String pointerFolder) {
    this.pointerFolder = pointerFolder;
  }

  /** Files anywhere (e.g. anonymize's videos and audit trail). */
  public static OutputSet forFiles() {
    return new OutputSet(null);
  }

  /** The files of one output folder (e.g. a dataset); see the class comment for a remote one. */
  public static OutputSet forFolder(String folder) {
    String dir = folder.endsWith("/") ? folder : folder + "/";
    return new OutputSet(LocalFiles.isLocal(folder) ? null : dir);
  }

  /**
   * Where to write {@code target}'s bytes (a local staging folder is created now, so any writer can
   * open the path); the target itself changes only on {@link #publish}.
   */
  public String stage(String target) throws IOException {
    String path = staged.get(target);
    if (path == null) {
      path = stagedPath(target);
      staged.put(target, path);
    }
    return path;
  }

  /** Writes {@code target}'s staged file; a failure names the target. */
  public void write(String target, String mimeType, AtomicOutput.Body body) throws IOException {
    ResourceId file = FileSystems.matchNewResource(stage(target), false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, mimeType))) {
      body.writeTo(out);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + reason(e), e);
    }
  }

  /**
   * A file of an earlier run that this run does not make: removed when this set is published
   * (local).
   */
  public void remove(String target) {
    removals.add(target);
  }

  /** Makes every staged file that was written visible under its target name, together. */
  public void publish() throws IOException {
    if (pointerFolder != null) {
      List<String> files = new ArrayList<>();
      staged.keySet().forEach(t -> files.add(t.substring(pointerFolder.length())));
      SetPointer.publish(pointerFolder, runId, files);
    } else if (staged.keySet().stream().allMatch(LocalFiles::isLocal)) {
      publishLocal();
    } else {
      publishRemote();
    }
    published = true;
    deleteStaging();
  }

  /** Deletes what was staged and not published (a failed run leaves nothing behind). */
  @Override
  public void close() throws IOException {
    if (!published) {
      if (pointerFolder != null) {
        SetPointer.deleteRun(pointerFolder, runId);
      } else {
        List<ResourceId> remote = new ArrayList<>();
        staged.values().stream()
            .filter(p -> !LocalFiles.isLocal(p))
            .forEach(p -> remote.add(FileSystems.matchNewResource(p, false)));
        FileSystems.delete(remote, StandardMoveOptions.IGNORE_MISSING_FILES);
      }
      deleteStaging();
    }
  }

  private String stagedPath(String target) throws IOException {
    if (pointerFolder != null) {
      if (!target.startsWith(pointerFolder)) {
        throw new IllegalArgumentException(target + " is not in the set's folder " + pointerFolder);
      }
      return SetPointer.runFolder(pointerFolder, runId) + target.substring(pointerFolder.length());
    }
    if (!LocalFiles.isLocal(target)) {
      ResourceId id = FileSystems.matchNewResource(target, false);
      return id.getCurrentDirectory() + STAGING + runId + "/" + id.getFilename();
    }
    Path file = LocalFiles.localFile(target).toPath().toAbsolutePath();
    Path folder = file.getParent().resolve(STAGING + runId);
    if (stagingFolders.add(folder)) {
      try {
        Files.createDirectories(folder);
      } catch (IOException e) {
        throw new IOException("cannot write " + target + ": " + reason(e), e);
      }
      deleteStaleStaging(file.getParent());
    }
    return folder.resolve(file.getFileName()).toString();
  }

  private void publishLocal() throws IOException {
    Deque<Undo> undo = new ArrayDeque<>();
    String current = null;
    try {
      for (Map.Entry<String, String> e : staged.entrySet()) {
        current = e.getKey();
        Path target = LocalFiles.localFile(e.getKey()).toPath().toAbsolutePath();
        Path from = Path.of(e.getValue());
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
          continue; // not made by this run (e.g. a video that failed): nothing to publish
        }
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          Path previous = keepAside(target, from.resolveSibling(".previous-" + from.getFileName()));
          Files.move(
              from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          undo.push(
              () ->
                  Files.move(
                      previous,
                      target,
                      StandardCopyOption.ATOMIC_MOVE,
                      StandardCopyOption.REPLACE_EXISTING));
        } else {
          Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
          undo.push(() -> Files.deleteIfExists(target));
        }
      }
      for (String removal : removals) {
        current = removal;
        Path target = LocalFiles.localFile(removal).toPath().toAbsolutePath();
        if (staged.containsKey(removal)
            || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path folder = target.getParent().resolve(STAGING + runId);
        stagingFolders.add(folder);
        Files.createDirectories(folder);
        Path removed = folder.resolve(".removed-" + target.getFileName());
        Files.move(target, removed, StandardCopyOption.ATOMIC_MOVE);
        undo.push(() -> Files.move(removed, target, StandardCopyOption.ATOMIC_MOVE));
      }
    } catch (IOException | RuntimeException e) {
      while (!undo.isEmpty()) {
        try {
          undo.pop().run();
        } catch (IOException | RuntimeException u) {
          e.addSuppressed(u);
        }
      }
      throw new IOException(
          "cannot publish " + current + ": " + reason(e) + " (nothing of this run was published)",
          e);
    }
  }

  /** A second name for {@code target} (a hard link; a copy where links are not supported). */
  private static Path keepAside(Path target, Path aside) throws IOException {
    try {
      Files.createLink(aside, target);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(target, aside, StandardCopyOption.REPLACE_EXISTING);
    }
    return aside;
  }

  private void publishRemote() throws IOException {
    for (Map.Entry<String, String> e : staged.entrySet()) {
      if (LocalFiles.matchExisting(e.getValue()).isEmpty()) {
        continue;
      }
      try {
        FileSystems.rename(
            List.of(FileSystems.matchNewResource(e.getValue(), false)),
            List.of(FileSystems.matchNewResource(e.getKey(), false)));
      } catch (IOException x) {
        throw new IOException("cannot publish " + e.getKey() + ": " + reason(x), x);
      }
    }
  }

  private void deleteStaging() throws IOException {
    for (Path folder : stagingFolders) {
      deleteTree(folder);
    }
  }

  /** Staging folders of runs whose process is gone (killed before they could clean up). */
  private void deleteStaleStaging(Path parent) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, STAGING + "*")) {
      for (Path entry : entries) {
        String rest = entry.getFileName().toString().substring(STAGING.length());
        int dash = rest.indexOf('-');
        long pid =
            dash > 0 && rest.substring(0, dash).chars().allMatch(Character::isDigit)
                ? Long.parseLong(rest.substring(0, dash))
                : -1;
        if (pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
          deleteTree(entry);
        }
      }
    } catch (IOException e) {
      // nothing to clean, or not allowed to: the new set does not depend on it
    }
  }

  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * An exception's message for one line (a FileSystemException's message alone omits the reason).
   */
  static String reason(Throwable e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return (f.getFile() != null ? f.getFile() + ": " : "") + f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private interface Undo {
    void run() throws IOException;
  }
}
