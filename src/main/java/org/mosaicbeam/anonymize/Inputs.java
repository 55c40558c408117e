package org.mosaicbeam.anonymize;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.mosaicbeam.cli.UserError;

/**
 * Input files through Beam {@link FileSystems} (local paths today, s3:// once that filesystem is
 * registered): expands a directory to the files in it with the given extensions, and hands FFmpeg
 * or OpenCV a local path, copying a remote object to a temporary file first.
 */
public final class Inputs {
  private Inputs() {}

  public static final Set<String> VIDEO_EXTENSIONS =
      Set.of("mp4", "mov", "mkv", "avi", "m4v", "webm", "ts", "mts", "3gp", "flv", "wmv", "mpg");
  public static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");

  /** A single file as given, or the matching files directly inside a directory, sorted. */
  public static List<String> list(String input, Set<String> extensions) {
    if (input == null || input.isEmpty()) {
      throw new UserError("--input is required");
    }
    File local = new File(input);
    if (!input.contains("://") && local.isDirectory()) {
      input = local.getPath() + "/*";
    } else if (input.contains("://") && input.endsWith("/")) {
      input = input + "*";
    }
    try {
      MatchResult m = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      List<String> out = new ArrayList<>();
      boolean glob = input.endsWith("*");
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        if (!glob || extensions.contains(extension(name))) {
          out.add(md.resourceId().toString());
        }
      }
      if (out.isEmpty()) {
        throw new UserError("--input=" + input + ": no " + (glob ? "matching " : "") + "file");
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UserError("--input=" + input + ": " + e.getMessage(), e);
    }
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  public static String stem(String path) {
    String name = FileSystems.matchNewResource(path, false).getFilename();
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? name : name.substring(0, dot);
  }

  static boolean isLocal(String path) {
    return !path.contains("://") || path.startsWith("file://");
  }

  /** A local copy of {@code path} (the file itself when local); {@link #close} removes copies. */
  static final class Local implements AutoCloseable {
    final String path;
    private final File temp;

    Local(String source) throws IOException {
      if (isLocal(source)) {
        path = source.startsWith("file://") ? source.substring("file://".length()) : source;
        temp = null;
      } else {
        ResourceId id = FileSystems.matchNewResource(source, false);
        temp = File.createTempFile("mosaicbeam-in-", "." + extension(id.getFilename()));
        try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
          Files.copy(in, temp.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
        path = temp.getPath();
      }
    }

    @Override
    public void close() {
      if (temp != null) {
        temp.delete();
      }
    }
  }
}
