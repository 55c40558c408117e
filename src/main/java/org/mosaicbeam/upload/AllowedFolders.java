package org.mosaicbeam.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.LocalFiles;

/**
 * The only folders {@code upload} reads image files from: the dataset's own output folder (where
 * the manifest and its image list are), the {@code --images} folders the dataset run recorded in
 * its report.json ({@code image_folders}), and folders named on upload's own command line. An image
 * list is data: a line such as {@code ../../../../etc/passwd} or {@code /etc/shadow} must not make
 * upload send a file of this machine to a bucket. Lines resolve against the list's own folder; a
 * local file is checked by its path and again by its real path, so a symbolic link out of these
 * folders is refused too.
 */
final class AllowedFolders {
  /** The field of the dataset's report.json that lists the --images folders of its run. */
  static final String REPORT_FIELD = "image_folders";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<Path> local = new LinkedHashSet<>();
  private final Set<String> remote = new LinkedHashSet<>();

  /** Adds a folder (local path, file:// or s3://). */
  AllowedFolders add(String folder) {
    if (LocalFiles.isLocal(folder)) {
      local.add(LocalFiles.localFile(folder).toPath().toAbsolutePath().normalize());
    } else {
      remote.add(folder.endsWith("/") ? folder : folder + "/");
    }
    return this;
  }

  /**
   * Adds {@code datasetFolder} and the --images folders its report.json recorded (none when it has
   * no report.json: older datasets, or a list made by hand).
   */
  AllowedFolders addDataset(ResourceId datasetFolder) throws IOException {
    add(datasetFolder.toString());
    ResourceId report = datasetFolder.resolve("report.json", StandardResolveOptions.RESOLVE_FILE);
    if (LocalFiles.matchExisting(report.toString()).isEmpty()) {
      return this;
    }
    JsonNode folders;
    try (InputStream in = Channels.newInputStream(FileSystems.open(report))) {
      folders = JSON.readTree(in).path(REPORT_FIELD);
    } catch (IOException e) {
      throw new UserError("cannot read " + report + ": " + e.getMessage(), e);
    }
    for (JsonNode folder : folders) {
      add(folder.asText());
    }
    return this;
  }

  /**
   * The file {@code line} names, resolved against {@code listFolder}, when it is inside an allowed
   * folder; a {@link UserError} naming the line otherwise. A local file that exists is returned by
   * its real path (what is read is what was checked).
   */
  String check(String line, ResourceId listFolder, String where) {
    boolean remoteLine = !LocalFiles.isLocal(line);
    boolean relativeInRemoteList =
        !remoteLine
            && !LocalFiles.isLocal(listFolder.toString())
            && !LocalFiles.localFile(line).isAbsolute();
    if (remoteLine || relativeInRemoteList) {
      String resolved =
          remoteLine
              ? line
              : listFolder.resolve(line, StandardResolveOptions.RESOLVE_FILE).toString();
      for (String segment : resolved.split("/")) {
        if (segment.equals("..") || segment.equals(".")) {
          throw refused(where, line, "has a '" + segment + "' segment");
        }
      }
      if (remote.stream().noneMatch(resolved::startsWith)) {
        throw refused(where, line, "is outside " + this);
      }
      return resolved;
    }
    Path path = LocalFiles.localFile(line).toPath();
    if (!path.isAbsolute()) {
      path = LocalFiles.localFile(listFolder.toString()).toPath().resolve(path);
    }
    path = path.toAbsolutePath().normalize();
    if (!inside(path, local)) {
      throw refused(where, line, "is outside " + this);
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return path.toString(); // reported as missing when its upload is tried
    }
    try {
      Path real = path.toRealPath();
      if (!inside(real, realFolders())) {
        throw refused(where, line, "is a symbolic link to " + real + ", outside " + this);
      }
      return real.toString();
    } catch (IOException e) {
      throw refused(where, line, "cannot be resolved: " + e.getMessage());
    }
  }

  private List<Path> realFolders() {
    List<Path> real = new ArrayList<>();
    for (Path folder : local) {
      try {
        real.add(folder.toRealPath());
      } catch (IOException e) {
        real.add(folder); // a folder that is gone holds nothing to check against
      }
    }
    return real;
  }

  private static boolean inside(Path path, Iterable<Path> folders) {
    for (Path folder : folders) {
      if (path.startsWith(folder) && !path.equals(folder)) {
        return true;
      }
    }
    return false;
  }

  private static UserError refused(String where, String line, String why) {
    return new UserError(
        where
            + ": '"
            + line
            + "' "
            + why
            + "; upload reads only the dataset's own files "
            + "(nothing was sent)");
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>();
    local.forEach(p -> all.add(p + "/"));
    all.addAll(remote);
    return "the dataset's folders " + all;
  }
}
