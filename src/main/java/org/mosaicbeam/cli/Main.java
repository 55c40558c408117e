package org.mosaicbeam.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.args.Flags;
import org.mosaicbeam.args.Help;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.NativeLibraryCache;

/**
 * Entry point of {@code scripts/mosaicbeam}: dispatches {@code SUBCOMMAND args...} to the
 * subcommand's own {@code main}. Each subcommand handles {@code --help} itself (see {@link
 * org.mosaicbeam.args.Cli}). A failure is one line on stderr ({@link FailureLine}): exit status 2
 * for a usage or input error, 1 for a runtime failure; {@code --verbose} adds the stack trace.
 */
public final class Main {

  /** Subcommand name → class with {@code public static void main(String[])}; in README order. */
  static final Map<String, String> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("dataset", "org.mosaicbeam.dataset.DatasetPipeline");
    COMMANDS.put("generate-oid-sample", "org.mosaicbeam.dataset.sample.OidSampleGenerator");
    COMMANDS.put("upload", "org.mosaicbeam.upload.UploadCommand");
    COMMANDS.put("train", "org.mosaicbeam.training.TrainCommand");
    COMMANDS.put("train-plates", "org.mosaicbeam.training.TrainPlatesCommand");
    COMMANDS.put("detect", "org.mosaicbeam.anonymize.DetectCommand");
    COMMANDS.put("make-face-set", "org.mosaicbeam.evaluation.FaceSet");
    COMMANDS.put("make-motion-set", "org.mosaicbeam.evaluation.MotionSet");
    COMMANDS.put("coverage", "org.mosaicbeam.evaluation.CoverageCommand");
    COMMANDS.put("anonymize", "org.mosaicbeam.anonymize.watch.AnonymizeCommand");
    COMMANDS.put("verify", "org.mosaicbeam.anonymize.VerifyCommand");
    COMMANDS.put("generate-video-sample", "org.mosaicbeam.anonymize.SampleVideo");
    // for scripts/nightly-rebuild and scripts/bench-tarball (scripts run Java only through here)
    COMMANDS.put("validate-dataset", "org.mosaicbeam.runners.nightly.ValidateDataset");
    COMMANDS.put(
        "generate-tarball-sample", "org.mosaicbeam.dataset.tarball.TarballSampleGenerator");
    COMMANDS.put("bench-tarball-extract", "org.mosaicbeam.dataset.tarball.TarballBenchmark");
  }

  private Main() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      usage(System.err);
      System.exit(2); // a script that forgot its subcommand must not look successful
      return;
    }
    if (args[0].equals("--print-runner")) {
      // for the launcher: does this command line (job files included) run on Flink?
      List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
      rest.removeIf(a -> !a.startsWith("--") && !a.startsWith("@"));
      try {
        System.out.println(Cli.runner(rest.toArray(new String[0])));
      } catch (UserError e) {
        System.out.println("DirectRunner"); // an unreadable job file: the run itself says so
      }
      return;
    }
    if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(System.out);
      return;
    }
    String className = COMMANDS.get(args[0]);
    Class<?> command;
    try {
      command = className == null ? null : Class.forName(className);
    } catch (ClassNotFoundException e) {
      command = null;
    }
    if (command == null) {
      String close = Flags.closest(args[0], COMMANDS.keySet());
      System.err.println(
          "mosaicbeam: unknown subcommand '"
              + args[0]
              + "'"
              + (close != null
                  ? " (did you mean " + close + "?)"
                  : " (scripts/mosaicbeam --help lists them)"));
      System.exit(2);
      return;
    }
    System.setProperty(Cli.COMMAND_PROPERTY, args[0]);
    NativeLibraryCache.useForSnappy(); // nothing unpacked into /tmp on every run
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    boolean verbose = rest.removeIf(a -> a.equals("--verbose") || a.equals("--verbose=true"));
    rest.removeIf(a -> a.equals("--verbose=false"));
    if (verbose) {
      System.setProperty(org.mosaicbeam.video.Ff.VERBOSE_PROPERTY, "true");
    }
    Method main = command.getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) rest.toArray(new String[0]));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (verbose) {
        cause.printStackTrace();
      }
      FailureLine failure = FailureLine.of(cause);
      System.err.println("mosaicbeam " + args[0] + ": error: " + failure.line());
      System.exit(failure.status());
    }
  }

  private static void usage(java.io.PrintStream out) {
    out.println(
        "usage: scripts/mosaicbeam SUBCOMMAND [--option=value ...] [@job.args ...] [--verbose]");
    out.println(
        "(a failure is one line, exit status 2 for a usage or input error, 1 otherwise; "
            + "--verbose adds its stack trace)");
    out.println("subcommands (each takes --help):");
    for (String name : COMMANDS.keySet()) {
      out.printf("  %-22s %s%n", name, Help.summary(name));
    }
  }
}
