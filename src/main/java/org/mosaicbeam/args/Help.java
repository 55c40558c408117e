package org.mosaicbeam.args;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.mosaicbeam.io.StorageOptions;

/**
 * {@code SUBCOMMAND --help}: the usage line and examples of its {@link HelpTopics.Topic}, then the
 * subcommand's own options by group, each with its values and real default. Only {@code --help=all}
 * adds Beam's and the AWS SDK's full lists. Reads the interfaces by reflection only: Beam's option
 * registry is not started, so help answers in a fraction of a second.
 */
public final class Help {
  private Help() {}

  private static final int WIDTH = 80;

  /** Options every subcommand accepts although its interface does not extend them. */
  private static final List<String> SHARED =
      List.of(StorageOptions.class.getName(), "org.apache.beam.runners.direct.DirectOptions");

  public static String summary(String command) {
    return HelpTopics.of(command).summary();
  }

  static String render(
      String command,
      Class<? extends PipelineOptions> optionsClass,
      boolean all,
      List<Class<? extends PipelineOptions>> alsoAccepted) {
    HelpTopics.Topic topic = HelpTopics.of(command);
    StringBuilder out = new StringBuilder("usage: ").append(topic.usage()).append('\n');
    if (!topic.summary().isEmpty()) {
      out.append(topic.summary()).append('\n');
    }
    if (!topic.examples().isEmpty()) {
      out.append("\nexamples:\n");
      topic.examples().forEach(e -> out.append("  ").append(e).append('\n'));
    }
    Map<String, Flags.Flag> own = Flags.of(optionsClass);
    Map<String, Flags.Flag> reachable = new TreeMap<>(own);
    for (Class<?> also : alsoAccepted) {
      Flags.of(also).forEach(reachable::putIfAbsent);
    }
    for (String name : SHARED) {
      try {
        Flags.of(Class.forName(name)).forEach(reachable::putIfAbsent);
      } catch (ClassNotFoundException e) {
        // a runner that is not on the classpath has no options to list
      }
    }
    Set<String> shown = new LinkedHashSet<>();
    for (Map.Entry<String, List<String>> group : topic.groups().entrySet()) {
      List<Flags.Flag> flags = new ArrayList<>();
      for (String name : group.getValue()) {
        Flags.Flag flag = reachable.get(name);
        if (flag != null && shown.add(name)) {
          flags.add(flag);
        }
      }
      section(out, group.getKey(), flags);
    }
    List<Flags.Flag> other = new ArrayList<>();
    for (Flags.Flag flag : own.values()) {
      if (!shown.contains(flag.name())
          && flag.getter().getDeclaringClass().getName().startsWith("org.mosaicbeam.")
          && !flag.getter().getDeclaringClass().isAnnotationPresent(Hidden.class)
          && !flag.getter().isAnnotationPresent(Hidden.class)) {
        other.add(flag);
      }
    }
    section(out, topic.groups().isEmpty() ? "options" : "other", other);
    out.append(
        "\nany subcommand: --verbose (stack traces, FFmpeg's own log), @FILE.args (one "
            + "--name=value per line), --help=all (also Beam's and the AWS SDK's options)\n");
    if (all) {
      out.append("\n").append(beamHelp(optionsClass));
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String title, List<Flags.Flag> flags) {
    if (flags.isEmpty()) {
      return;
    }
    out.append('\n').append(title).append(":\n");
    for (Flags.Flag flag : flags) {
      HelpTopics.Override o = HelpTopics.OVERRIDES.get(flag.name());
      String placeholder =
          o != null && o.placeholder() != null ? o.placeholder() : Cli.placeholder(flag);
      Description d = flag.getter().getAnnotation(Description.class);
      String text =
          o != null && o.description() != null ? o.description() : d == null ? "" : d.value();
      String dflt = o != null && o.defaultText() != null ? o.defaultText() : flag.defaultText();
      if (dflt != null && !text.toLowerCase(java.util.Locale.ROOT).contains("default")) {
        text =
            text + (text.isEmpty() || text.endsWith(".") ? " " : ". ") + "Default: " + dflt + ".";
      }
      out.append("  --").append(flag.name()).append('=').append(placeholder).append('\n');
      wrap(out, text.strip(), "      ");
    }
  }

  private static void wrap(StringBuilder out, String text, String indent) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      out.append(line).append('\n');
    }
  }

  /** Beam's own listing, without the options this tool refuses (credentials as a flag). */
  private static String beamHelp(Class<? extends PipelineOptions> optionsClass) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PipelineOptionsFactory.printHelp(
        new PrintStream(buffer, true, StandardCharsets.UTF_8), optionsClass);
    StringBuilder out = new StringBuilder("all options (Beam's listing, by interface):\n");
    boolean skipping = false;
    for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.startsWith("  --")) {
        skipping = line.startsWith("  --awsCredentialsProvider");
      } else if (!line.startsWith("    ")) {
        skipping = false;
      }
      if (!skipping) {
        out.append(
                line.equals("    Default: AwsRegionFactory")
                    ? "    Default: " + HelpTopics.OVERRIDES.get("awsRegion").defaultText()
                    : line)
            .append('\n');
      }
    }
    return out.toString().stripTrailing() + "\n";
  }
}
