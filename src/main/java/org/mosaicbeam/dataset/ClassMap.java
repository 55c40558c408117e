package org.mosaicbeam.dataset;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.mosaicbeam.base.UserError;

/**
 * The classes a dataset run asks for, resolved against class-descriptions-boxable.csv: class_id
 * (the position in {@code --classes}), MID and display name, plus the MID of the required class.
 */
public final class ClassMap implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One output class. */
  public record OutputClass(int id, String mid, String name) implements Serializable {}

  private final List<OutputClass> classes;
  private final String requiredMid;
  private final String requiredName;

  ClassMap(List<OutputClass> classes, String requiredMid, String requiredName) {
    this.classes = List.copyOf(classes);
    this.requiredMid = requiredMid;
    this.requiredName = requiredName;
  }

  public List<OutputClass> classes() {
    return classes;
  }

  public String requiredMid() {
    return requiredMid;
  }

  public String requiredName() {
    return requiredName;
  }

  /** The output class of a MID, or null when the MID is not asked for. */
  public OutputClass byMid(String mid) {
    for (OutputClass c : classes) {
      if (c.mid().equals(mid)) {
        return c;
      }
    }
    return null;
  }

  /** Reads the descriptions file (MID,Display name; no header; BOM and quotes allowed). */
  static Map<String, String> readDescriptions(String path) {
    List<MatchResult.Metadata> files = FilePatterns.match("classDescriptions", path);
    if (files.size() != 1) {
      throw new UserError(
          "--classDescriptions must name one file, '" + path + "' matches " + files.size());
    }
    Map<String, String> nameByMid = new LinkedHashMap<>();
    try (Reader reader =
        new InputStreamReader(
            FilePatterns.open(files.get(0).resourceId()), StandardCharsets.UTF_8)) {
      for (CSVRecord record : CSVFormat.DEFAULT.parse(reader)) {
        if (record.size() < 2) {
          throw new UserError(
              "--classDescriptions "
                  + path
                  + " line "
                  + record.getRecordNumber()
                  + ": expected 'MID,Display name'");
        }
        nameByMid.put(FilePatterns.stripBom(record.get(0)).strip(), record.get(1).strip());
      }
    } catch (IOException e) {
      throw new UserError("cannot read --classDescriptions " + path + ": " + e.getMessage(), e);
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      // Commons CSV's iterator reports a parse error (e.g. binary garbage) unchecked
      throw new UserError(
          "--classDescriptions "
              + path
              + ": not a CSV file ("
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
              + ")",
          e);
    }
    if (nameByMid.isEmpty()) {
      throw new UserError("--classDescriptions " + path + " holds no classes");
    }
    return nameByMid;
  }

  /**
   * Resolves {@code --classes} and {@code --requireClass} (display names, case-insensitive, or
   * MIDs). An unknown name is a {@link UserError} listing the closest known names.
   */
  static ClassMap resolve(Map<String, String> nameByMid, List<String> wanted, String required) {
    if (wanted.isEmpty()) {
      throw new UserError("--classes is empty");
    }
    List<OutputClass> out = new ArrayList<>();
    for (String entry : wanted) {
      String mid = resolveOne(nameByMid, entry, "--classes");
      if (out.stream().anyMatch(c -> c.mid().equals(mid))) {
        throw new UserError("--classes names '" + entry + "' (" + mid + ") twice");
      }
      out.add(new OutputClass(out.size(), mid, nameByMid.get(mid)));
    }
    String requiredMid = resolveOne(nameByMid, required, "--requireClass");
    return new ClassMap(out, requiredMid, nameByMid.get(requiredMid));
  }

  private static String resolveOne(Map<String, String> nameByMid, String entry, String option) {
    if (nameByMid.containsKey(entry)) {
      return entry;
    }
    List<String> mids = new ArrayList<>();
    for (Map.Entry<String, String> e : nameByMid.entrySet()) {
      if (e.getValue().equalsIgnoreCase(entry)) {
        mids.add(e.getKey());
      }
    }
    if (mids.size() == 1) {
      return mids.get(0);
    }
    if (mids.size() > 1) {
      throw new UserError(option + ": '" + entry + "' is ambiguous, use one of the MIDs " + mids);
    }
    throw new UserError(
        option
            + ": unknown class '"
            + entry
            + "'; closest matches: "
            + closest(nameByMid.values(), entry, 3).stream()
                .map(n -> "'" + n + "'")
                .collect(Collectors.joining(", ")));
  }

  /** The {@code n} names nearest to {@code query} by edit distance (case-insensitive). */
  static List<String> closest(java.util.Collection<String> names, String query, int n) {
    String q = query.toLowerCase(Locale.ROOT);
    return names.stream()
        .distinct()
        // names containing the query first ("plate" → "Vehicle registration plate"), then by
        // distance
        .sorted(
            Comparator.<String>comparingInt(
                    name -> name.toLowerCase(Locale.ROOT).contains(q) ? 0 : 1)
                .thenComparingInt(name -> distance(name.toLowerCase(Locale.ROOT), q))
                .thenComparing(name -> name))
        .limit(n)
        .collect(Collectors.toList());
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
