package org.mosaicbeam.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.mosaicbeam.base.UserError;

/**
 * A byte range of one bounding-box CSV: the unit of work of both scanning passes. A shard owns the
 * lines that <em>start</em> in {@code [start, end)}, so lines are never split between shards (like
 * TextIO, this assumes no line break inside a quoted field, which OID files never have).
 */
public record CsvShard(String file, long dataStart, long start, long end, AnnotationColumns columns)
    implements Serializable {

  /** Reads each file's header and cuts the rest into shards of about {@code shardBytes}. */
  static List<CsvShard> plan(List<MatchResult.Metadata> files, long shardBytes) {
    List<CsvShard> shards = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      String name = file.resourceId().toString();
      byte[] headerLine = readFirstLine(file);
      String header = FilePatterns.stripBom(new String(headerLine, StandardCharsets.UTF_8)).strip();
      List<String> names = new ArrayList<>();
      try {
        for (CSVRecord record : CSVFormat.DEFAULT.parse(new StringReader(header))) {
          record.forEach(names::add);
          break;
        }
      } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
        // the iterator reports a parse error (e.g. binary garbage with quotes) unchecked
        throw new UserError(
            "--annotations "
                + name
                + ": unreadable header: "
                + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
            e);
      }
      List<String> missing = new ArrayList<>();
      AnnotationColumns columns = AnnotationColumns.fromHeader(names, missing);
      if (columns == null) {
        throw new UserError(
            "--annotations "
                + name
                + ": header lacks column(s) "
                + missing
                + " (is it an Open Images bounding-box CSV?)");
      }
      long dataStart = headerLine.length;
      long size = file.sizeBytes();
      for (long start = dataStart; start < size; start += shardBytes) {
        shards.add(
            new CsvShard(name, dataStart, start, Math.min(size, start + shardBytes), columns));
      }
    }
    return shards;
  }

  /**
   * The split its rows belong to, from the file's name: Open Images names its CSVs after their
   * split ({@code oidv6-train-annotations-bbox.csv}, {@code validation-...}, {@code test-...}); any
   * other file is a split of its own, named after the file.
   */
  String split() {
    String name = file.substring(file.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    for (String split : List.of("train", "validation", "test")) {
      if (name.matches("(.*[^a-z])?" + split + "([^a-z].*)?")) {
        return split;
      }
    }
    return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
  }

  /** The header line including its line break (and BOM), as raw bytes. */
  private static byte[] readFirstLine(MatchResult.Metadata file) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (InputStream in = new java.io.BufferedInputStream(FilePatterns.open(file.resourceId()))) {
      int b;
      while ((b = in.read()) >= 0) {
        line.write(b);
        if (b == '\n') {
          break;
        }
        if (line.size() > 1 << 20) {
          throw new UserError(
              "--annotations " + file.resourceId() + ": no line break in the first MiB");
        }
      }
    } catch (IOException e) {
      throw new UserError(
          "cannot read --annotations " + file.resourceId() + ": " + e.getMessage(), e);
    }
    if (line.size() == 0) {
      throw new UserError("--annotations " + file.resourceId() + " is empty");
    }
    return line.toByteArray();
  }
}
