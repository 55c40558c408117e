package org.mosaicbeam.runners.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The check {@code scripts/nightly-rebuild} runs before it publishes a dataset folder: the report
 * is present and parses, and there is a Ground Truth manifest whose every line is a JSON object
 * with a {@code source-ref}, with at least one line. Exit status 0 when valid, 1 (with the reason)
 * otherwise.
 */
public final class ValidateDataset {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE =
      "usage: scripts/mosaicbeam validate-dataset DATASET_FOLDER "
          + "(exit status 0: valid; 1: invalid, with the reason)";

  private ValidateDataset() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    if (args.length != 1) {
      System.err.println(USAGE);
      System.exit(2);
    }
    String problem = check(Path.of(args[0]));
    if (problem != null) {
      System.err.println("invalid dataset " + args[0] + ": " + problem);
      System.exit(1);
    }
  }

  /** Null when {@code folder} is a valid dataset output, otherwise what is wrong. */
  static String check(Path folder) throws IOException {
    Path report = folder.resolve("report.json");
    if (!Files.isRegularFile(report)) {
      return "no report.json";
    }
    try {
      JSON.readTree(report.toFile());
    } catch (IOException e) {
      return "report.json does not parse: " + e.getMessage();
    }
    List<Path> manifests;
    try (Stream<Path> files = Files.list(folder)) {
      manifests =
          files.filter(f -> f.getFileName().toString().contains("manifest")).sorted().toList();
    }
    if (manifests.isEmpty()) {
      return "no manifest file";
    }
    long lines = 0;
    for (Path manifest : manifests) {
      try (BufferedReader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          JsonNode entry;
          try {
            entry = JSON.readTree(line);
          } catch (IOException e) {
            return manifest.getFileName() + " line " + number + " is not JSON: " + e.getMessage();
          }
          if (entry == null || !entry.isObject() || !entry.hasNonNull("source-ref")) {
            return manifest.getFileName() + " line " + number + " has no source-ref";
          }
          lines++;
        }
      }
    }
    if (lines == 0) {
      return "the manifest is empty";
    }
    System.out.println(
        "valid dataset "
            + folder
            + ": "
            + lines
            + " manifest lines in "
            + manifests.size()
            + " file(s), report.json present");
    return null;
  }
}
