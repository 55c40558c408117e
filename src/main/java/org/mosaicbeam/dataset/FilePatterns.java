package org.mosaicbeam.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.mosaicbeam.base.UserError;

/**
 * The dataset's comma-separated paths and globs ({@code --annotations}, {@code --images}) to files,
 * through Beam {@link FileSystems}, so local paths, globs and s3:// all work. (Videos and images
 * given to {@code anonymize}/{@code detect} are listed by {@code anonymize.Inputs}.)
 */
final class FilePatterns {
  private FilePatterns() {}

  private static final Pattern GLOB = Pattern.compile("[*?\\[{]");

  /** Splits a comma-separated option value into its non-empty entries. */
  static List<String> split(String commaSeparated) {
    List<String> out = new ArrayList<>();
    if (commaSeparated == null) {
      return out;
    }
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  /**
   * Every file matched by the comma-separated paths/globs, once (overlapping globs must not read a
   * file twice), sorted by name; a pattern matching nothing is an error.
   */
  static List<MatchResult.Metadata> match(String option, String commaSeparated) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (String pattern : split(commaSeparated)) {
      List<MatchResult.Metadata> matched = matchOne(pattern);
      if (matched.isEmpty()) {
        throw new UserError("--" + option + ": no file matches '" + pattern + "'");
      }
      files.addAll(matched);
    }
    Map<String, MatchResult.Metadata> unique = new TreeMap<>();
    files.forEach(m -> unique.putIfAbsent(m.resourceId().toString(), m));
    return new ArrayList<>(unique.values());
  }

  /** True when {@code path} holds a glob character (* ? [ {). */
  static boolean isGlob(String path) {
    return GLOB.matcher(path).find();
  }

  /** The index of the first glob character in {@code path}, or its length when none. */
  static int firstGlobChar(String path) {
    java.util.regex.Matcher m = GLOB.matcher(path);
    return m.find() ? m.start() : path.length();
  }

  /** The files matching one path or glob (empty when none). */
  static List<MatchResult.Metadata> matchOne(String pattern) {
    if (!pattern.contains("://") && !isGlob(pattern) && !new java.io.File(pattern).exists()) {
      // Beam's LocalFileSystem would treat a missing path as a glob and walk its whole parent
      // folder tree (per call: ruinous for an image folder of millions of files).
      return List.of();
    }
    try {
      MatchResult result = FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW).get(0);
      if (result.status() == MatchResult.Status.NOT_FOUND) {
        return List.of();
      }
      return new ArrayList<>(result.metadata());
    } catch (IOException e) {
      throw new UserError("cannot read '" + pattern + "': " + e.getMessage(), e);
    }
  }

  static InputStream open(ResourceId file) throws IOException {
    return Channels.newInputStream(FileSystems.open(file));
  }

  /** Strips a UTF-8 byte order mark from the start of a text. */
  static String stripBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
