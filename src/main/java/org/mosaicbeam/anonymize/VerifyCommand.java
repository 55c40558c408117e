package org.mosaicbeam.anonymize;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.model.Detector;

/**
 * {@code mosaicbeam verify}: privacy QA of written videos. Runs the detectors (anonymize's, with
 * the same search settings unless told otherwise) on every frame, or every {@code --every}-th, and
 * reports what is still detectable: one JSON line per finding and a summary per video. Exits with
 * status 1 when anything is found at or above {@code --minConfidence}, so a nightly job can gate on
 * it.
 */
public final class VerifyCommand {

  /** Options of the command. */
  public interface Options extends DetectorOptions {
    @Description("A written video (local or s3://) or a directory of them.")
    String getInput();

    void setInput(String value);

    @Description("Check every Nth frame (1 = every frame).")
    @Default.Integer(1)
    int getEvery();

    void setEvery(int value);

    @Description(
        "A detection scoring at least this is a finding (0.5: below it, the plate verifier's "
            + "strays on mosaic blocks and car bodies outnumber real plates).")
    @Default.Double(VideoVerifier.MIN_CONFIDENCE)
    double getMinConfidence();

    void setMinConfidence(double value);

    @Description("Write the findings (JSON lines) here instead of to standard output.")
    String getFindings();

    void setFindings(String value);
  }

  private VerifyCommand() {}

  public static void main(String[] args) throws Exception {
    Options o = Cli.parse(args, Options.class);
    if (o != null) {
      List<VideoVerifier.Report> reports = run(o, System.out);
      if (reports.stream().anyMatch(r -> r.findings() > 0)) {
        System.exit(1);
      }
    }
  }

  /** Checks the videos; findings go to {@code --findings} or {@code out}; returns the summaries. */
  static List<VideoVerifier.Report> run(Options o, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(o);
    if (o.getInput() == null) {
      throw new UserError("give the video to check: scripts/mosaicbeam verify OUTPUT.mp4|DIR");
    }
    if (o.getEvery() < 1) {
      throw new UserError("--every must be >= 1");
    }
    UserModels.check(o);
    List<String> videos = Inputs.list(o.getInput(), Inputs.VIDEO_EXTENSIONS);
    List<String> lines = new ArrayList<>();
    List<VideoVerifier.Report> reports = new ArrayList<>();
    try (Detector detector = Detectors.create(o)) {
      for (String video : videos) {
        VideoVerifier.Report r =
            VideoVerifier.verify(
                video,
                video,
                detector,
                o.getEvery(),
                o.getMinConfidence(),
                o.getFindings() == null ? out::println : lines::add);
        reports.add(r);
        System.err.printf(
            "verify: %s: %d frames checked, %d with a finding (%d findings, longest run %d)%n",
            video, r.framesChecked(), r.framesWithFinding(), r.findings(), r.longestRun());
      }
    }
    if (o.getFindings() != null) {
      AtomicOutput.write(
          o.getFindings(),
          "application/jsonl",
          w -> {
            PrintWriter p =
                new PrintWriter(new java.io.OutputStreamWriter(w, StandardCharsets.UTF_8));
            lines.forEach(p::println);
            p.flush();
          });
    }
    long found = reports.stream().mapToLong(VideoVerifier.Report::findings).sum();
    System.err.printf(
        "verify: %d video(s), %d frames checked, %d with a finding: %s%n",
        reports.size(),
        reports.stream().mapToLong(VideoVerifier.Report::framesChecked).sum(),
        reports.stream().mapToLong(VideoVerifier.Report::framesWithFinding).sum(),
        found == 0 ? "nothing found" : found + " findings (exit status 1)");
    return reports;
  }
}
