package org.mosaicbeam.anonymize;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.mosaicbeam.base.UserError;

/**
 * Input files through Beam {@link FileSystems} (local paths today, s3:// once that filesystem is
 * registered): expands a directory to the files in it with the given extensions. (A local copy of a
 * remote file for FFmpeg: {@link org.mosaicbeam.io.LocalFiles#localized}.)
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
}
