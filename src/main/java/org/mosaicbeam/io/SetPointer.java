package org.mosaicbeam.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * How a remote output folder (s3://) publishes a run's files together: the run writes them under
 * {@code runs/<id>/}, then {@code current.json} — one small object, which S3 replaces whole — is
 * written last and names that run. Readers resolve a file of the folder through it ({@link
 * #resolve}); the previous run's files are kept (a reader may still be reading them) and older runs
 * are deleted.
 */
public final class SetPointer {
  public static final String POINTER = "current.json";
  static final String RUNS = "runs/";
  // not closing the stream: AtomicOutput closes it, and a second close of an s3:// channel asks
  // to complete its multipart upload again (404 NoSuchUpload)
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

  private SetPointer() {}

  /** Where {@code folder}'s file {@code name} of the current run is. */
  public record Resolved(String path, String setFolder) {}

  static String runFolder(String folder, String runId) {
    return folder + RUNS + runId + "/";
  }

  /** Names run {@code runId} (its {@code files}, relative to {@code folder}) as the current one. */
  static void publish(String folder, String runId, List<String> files) throws IOException {
    Optional<String> previous = currentRun(folder);
    ObjectNode pointer =
        JSON.createObjectNode().put("run", runId).put("folder", RUNS + runId + "/");
    files.forEach(pointer.putArray("files")::add);
    try {
      AtomicOutput.write(
          folder + POINTER,
          "application/json",
          out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, pointer));
    } catch (IOException e) {
      throw new IOException("cannot publish " + folder + POINTER + ": " + OutputSet.reason(e), e);
    }
    Set<String> keep = previous.isPresent() ? Set.of(runId, previous.get()) : Set.of(runId);
    for (String run : runs(folder)) {
      if (!keep.contains(run)) {
        deleteRun(folder, run);
      }
    }
  }

  /** Deletes every file of one run. */
  static void deleteRun(String folder, String runId) throws IOException {
    List<ResourceId> files = new ArrayList<>();
    for (MatchResult.Metadata m : match(runFolder(folder, runId) + "**")) {
      files.add(m.resourceId());
    }
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /**
   * {@code path} itself, or when its folder is published through a pointer, that file of the
   * current run (and the folder, which holds everything the run made, e.g. extracted images).
   */
  public static Resolved resolve(String path) throws IOException {
    if (LocalFiles.isLocal(path)) {
      return new Resolved(path, null);
    }
    ResourceId file = FileSystems.matchNewResource(path, false);
    String folder = file.getCurrentDirectory().toString();
    Optional<String> run = currentRunFolder(folder);
    return run.isEmpty()
        ? new Resolved(path, null)
        : new Resolved(folder + run.get() + file.getFilename(), folder);
  }

  private static Optional<String> currentRun(String folder) throws IOException {
    Optional<JsonNode> pointer = pointer(folder);
    return pointer.map(p -> p.path("run").asText());
  }

  private static Optional<String> currentRunFolder(String folder) throws IOException {
    Optional<JsonNode> pointer = pointer(folder);
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    String run = pointer.get().path("folder").asText();
    if (!run.matches("runs/[0-9a-f-]+/")) {
      throw new IOException(folder + POINTER + ": not a pointer to a run folder: '" + run + "'");
    }
    return Optional.of(run);
  }

  private static Optional<JsonNode> pointer(String folder) throws IOException {
    Optional<MatchResult.Metadata> found = LocalFiles.matchExisting(folder + POINTER);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(found.get().resourceId()))) {
      return Optional.of(JSON.readTree(in));
    }
  }

  private static List<String> runs(String folder) throws IOException {
    List<String> runs = new ArrayList<>();
    for (MatchResult.Metadata m : match(folder + RUNS + "**")) {
      String rest = m.resourceId().toString().substring((folder + RUNS).length());
      int slash = rest.indexOf('/');
      if (slash > 0 && !runs.contains(rest.substring(0, slash))) {
        runs.add(rest.substring(0, slash));
      }
    }
    return runs;
  }

  private static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult result = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0);
    return result.status() == MatchResult.Status.OK ? result.metadata() : List.of();
  }
}
