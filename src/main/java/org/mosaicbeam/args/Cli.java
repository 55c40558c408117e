package org.mosaicbeam.args;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.Storage;

/**
 * Turns a subcommand's command line into its Beam options.
 *
 * <ul>
 *   <li>{@code @file} arguments are expanded: one {@code --flag=value} per line, {@code #}
 *       comments (job definitions under {@code pipelines/}).
 *   <li>{@code runners/<runner>/options.args} is prepended for the chosen runner, so per-runner
 *       settings live in one place; {@code ${mosaicbeam.home}} in it names the checkout.
 *   <li>When a flag is given twice the last one wins (Beam itself rejects repeats), so the command
 *       line overrides a job file.
 * </ul>
 */
public final class Cli {
  private Cli() {}

  /**
   * Parses {@code args} as {@code optionsClass}, or prints that interface's help and returns
   * {@code null} when {@code --help} is given.
   */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> optionsClass) {
    Storage.register(); // s3:// flags (--awsRegion, --endpoint, --s3PathStyle) for every subcommand
    PipelineOptionsFactory.register(optionsClass);
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.print(help(optionsClass));
        return null;
      }
    }
    String[] normalized = normalize(args);
    try {
      return Storage.configure(
          PipelineOptionsFactory.fromArgs(normalized).withValidation().as(optionsClass),
          Arrays.stream(normalized).anyMatch(a -> a.startsWith("--awsRegion=")));
    } catch (IllegalArgumentException e) {
      // Beam quotes unparsable values; a credentials flag's value must not reach the terminal.
      throw new UserError(redactSecrets(e.getMessage(), normalized) + " (see --help)");
    }
  }

  /** Replaces the values of credential-like flags ({@code --awsCredentialsProvider=...}) in text. */
  static String redactSecrets(String text, String[] args) {
    String out = String.valueOf(text);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0 && arg.substring(0, eq).toLowerCase(java.util.Locale.ROOT)
          .matches(".*(credential|secret|password|token).*")) {
        String value = arg.substring(eq + 1);
        if (!value.isEmpty()) {
          out = out.replace(value, "<redacted>");
        }
      }
    }
    return out;
  }

  /**
   * Beam's help for the interface and everything it extends, MosaicBeam's own options first (Beam
   * lists the interfaces by name, which would put AWS and Beam internals before the pipeline's).
   */
  static String help(Class<? extends PipelineOptions> optionsClass) {
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    PipelineOptionsFactory.printHelp(
        new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8), optionsClass);
    StringBuilder ours = new StringBuilder();
    StringBuilder inherited = new StringBuilder();
    StringBuilder section = ours;
    for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
        section = line.startsWith("org.mosaicbeam.") ? ours : inherited;
      }
      section.append(line).append('\n');
    }
    return (ours.toString() + inherited).stripTrailing() + "\n";
  }

  /** Expands {@code @files}, prepends the runner's settings, and keeps the last of repeated flags. */
  public static String[] normalize(String[] args) {
    List<String> expanded = expand(args);
    String runner = "DirectRunner";
    for (String arg : expanded) {
      if (arg.startsWith("--runner=")) {
        runner = arg.substring("--runner=".length());
      }
    }
    List<String> all = new ArrayList<>(runnerDefaults(runner));
    all.addAll(expanded);
    Map<String, String> lastByName = new LinkedHashMap<>();
    for (String arg : all) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      lastByName.remove(name); // keep order of the last occurrence
      lastByName.put(name, arg);
    }
    return lastByName.values().toArray(new String[0]);
  }

  private static List<String> expand(String[] args) {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("@")) {
        out.addAll(readArgsFile(Path.of(arg.substring(1))));
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  private static List<String> runnerDefaults(String runner) {
    String home = System.getProperty("mosaicbeam.home");
    if (home == null) {
      return List.of();
    }
    String dir = runner.replace("Runner", "").toLowerCase(java.util.Locale.ROOT);
    Path file = Path.of(home, "runners", dir, "options.args");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    // ${mosaicbeam.home} lets a runner's settings name files of this checkout (e.g. the job jar).
    return readArgsFile(file).stream().map(arg -> arg.replace("${mosaicbeam.home}", home)).toList();
  }

  static List<String> readArgsFile(Path file) {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          out.add(trimmed);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UserError("cannot read job file " + file + ": " + e.getMessage(), e);
    }
  }
}
