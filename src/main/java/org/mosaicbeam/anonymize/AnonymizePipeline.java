package org.mosaicbeam.anonymize;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.OutputCheck;
import org.mosaicbeam.io.OutputSet;
import org.mosaicbeam.video.EncoderSettings;

/**
 * {@code mosaicbeam anonymize --input=...}: masks faces and licence plates in a fixed set of videos
 * (see AnonymizeVideos for how, README "anonymize" for the options; the streaming form, {@code
 * --watch}, is anonymize.watch.AnonymizeWatch). The graph ({@link #build}): {@code Create(inputs) →
 * AnonymizeVideos → ReportResults}.
 */
public final class AnonymizePipeline {
  private AnonymizePipeline() {}

  /** The run report, next to the outputs: one {@link VideoResult} per line (see README). */
  public static final String REPORT = "results.jsonl";

  /**
   * What a run did, for the summary and for tests (from the run report).
   *
   * @param notes what was done to a written video beyond the usual, "VIDEO: note" (a truncated
   *     input kept, timestamps moved)
   */
  public record Summary(
      List<String> videos,
      List<String> failures,
      long frames,
      long detectorFailedFrames,
      long maskedRegions,
      double seconds,
      List<String> notes) {

    static Summary of(List<VideoResult> results, double seconds) {
      List<String> videos = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (VideoResult r : results) {
        if (r.written()) {
          videos.add(r.output());
          r.notes().forEach(n -> notes.add(r.video() + ": " + n));
          if (r.verify() != null) {
            VideoVerifier.Report v = r.verify();
            notes.add(
                String.format(
                    "verify %s: %d frames checked, %d with a finding (%d findings, longest run %d)",
                    r.output(),
                    v.framesChecked(),
                    v.framesWithFinding(),
                    v.findings(),
                    v.longestRun()));
          }
        } else {
          failures.add(r.failure());
        }
      }
      return new Summary(
          videos,
          failures,
          results.stream().mapToLong(VideoResult::frames).sum(),
          results.stream().mapToLong(VideoResult::framesMaskedWhole).sum(),
          results.stream().mapToLong(VideoResult::regionsMasked).sum(),
          seconds,
          notes);
    }
  }

  /**
   * Where a batch run reads and writes: with the options, all its graph needs.
   *
   * @param outputs input → its MP4
   * @param audit the --detections audit trail, or null
   * @param staged each file the run writes → its staging name, published after the run (empty until
   *     {@link #stagedIn})
   */
  record RunFiles(
      List<String> inputs,
      Map<String, String> outputs,
      String report,
      String audit,
      String workDir,
      Map<String, String> staged) {

    /** The same files with their staging names in {@code set}; an unwritable place fails here. */
    RunFiles stagedIn(OutputSet set, String workDir) throws IOException {
      Map<String, String> staged = new LinkedHashMap<>();
      for (String target : outputs.values()) {
        staged.put(target, set.stage(target));
      }
      if (audit != null) {
        staged.put(audit, set.stage(audit));
      }
      staged.put(report, set.stage(report));
      return new RunFiles(inputs, outputs, report, audit, workDir, staged);
    }
  }

  /**
   * {@code anonymize} without --watch: runs, and fails (after the others are written) if a video
   * failed.
   */
  public static void main(String[] args) throws Exception {
    AnonymizeOptions options = Cli.parse(args, AnonymizeOptions.class);
    if (options != null) {
      runOrFail(options);
    }
  }

  /** Runs, and throws a UserError naming the failed videos if there are any. */
  public static void runOrFail(AnonymizeOptions options) throws Exception {
    Summary s = run(options);
    if (!s.failures().isEmpty()) {
      throw new UserError(
          s.failures().size() == 1 && s.videos().isEmpty()
              ? s.failures().get(0)
              : s.failures().size()
                  + " of "
                  + (s.videos().size() + s.failures().size())
                  + " videos failed (listed above); the others were written");
    }
  }

  public static Summary run(AnonymizeOptions options) throws Exception {
    checkDetectors(options);
    return run(options, Detectors::create);
  }

  /** A bad detector flag, or a model file that does not load, fails here, not on a worker. */
  public static void checkDetectors(AnonymizeOptions options) {
    Detectors.choice(options);
    UserModels.check(options);
  }

  /** The graph of a batch run, nothing else. */
  static void build(
      Pipeline p, AnonymizeOptions options, RunFiles files, DetectorFactory detectors) {
    AnonymizeVideos.registerCoders(p);
    AnonymizeVideos anonymize =
        AnonymizeVideos.from(
                options, new HashMap<>(files.outputs())::get, files.workDir(), detectors)
            .withStaging(new HashMap<>(files.staged())::get);
    // The audit parts are kept in the work folder even without --detections: the run page's
    // per-second chart is drawn from them (one ~150-byte line per frame, 2.7 MB for 10 minutes at
    // 30 fps, removed with the folder), so it shows what the workers did, not a second count.
    PCollection<VideoResult> results =
        p.apply("Inputs", Create.of(files.inputs()))
            .apply("AnonymizeVideos", anonymize.withAudit());
    if (options.getVerify()) {
      results =
          results.apply(
              "VerifyOutputs",
              new VerifyOutputs(
                  new HashMap<>(files.staged())::get, detectors, options.getVerifyEvery()));
    }
    results.apply(
        "ReportResults",
        ReportResults.to(
            files.staged().get(files.report()),
            files.staged().get(files.audit()),
            files.workDir()));
  }

  /** Checks the options, builds the graph, runs it, publishes what it wrote, prints the summary. */
  public static Summary run(AnonymizeOptions options, DetectorFactory detectors) throws Exception {
    options.setOutput(AnonymizeOptions.output(options));
    if (options.getInput() == null) {
      throw new UserError("--input is required (a video or a directory), or --watch=DIR|s3://...");
    }
    FileSystems.setDefaultPipelineOptions(options);
    SegmentWorker.Config config = config(options);
    RunFiles planned = plan(options); // paths checked before any work
    String workDir = startWorkFolder(parentOf(planned.report()));
    // Ctrl-C and kill (not kill -9) run shutdown hooks but not the finally below.
    Thread removeOnExit =
        new Thread(
            () -> {
              try {
                deleteTree(workDir);
              } catch (Exception e) {
                // the next run in this folder removes it
              }
            },
            "remove-work-folder");
    Runtime.getRuntime().addShutdownHook(removeOnExit);
    SegmentWorker.PROGRESS.finish(); // a run before this one in the JVM (tests) starts nothing here
    long start = System.nanoTime();
    long processCpuStart = RunSummary.processCpuNanos();
    System.err.printf(
        "anonymize: %d video(s), detector=%s, encoder=%s, mask=%s%n",
        planned.inputs().size(),
        options.getDetector(),
        config.encoder().resolvedEncoder(),
        options.getMask());
    // The videos, the audit trail and the report are one set: written to staging names, published
    // together after the run, so a run that fails leaves the previous ones as they were.
    try (OutputSet set = OutputSet.forFiles()) {
      RunFiles files = planned.stagedIn(set, workDir);
      Pipeline p = Pipeline.create(options);
      build(p, options, files, detectors);
      PipelineResult result = p.run();
      result.waitUntilFinish();
      SegmentWorker.PROGRESS.finish();
      List<VideoResult> results = ReportResults.read(files.staged().get(files.report()));
      Summary s = Summary.of(results, (System.nanoTime() - start) / 1e9);
      s.failures().forEach(f -> System.err.println("anonymize: FAILED " + f));
      // the page is published with the outputs, or (when it cannot be made) not at all
      String page =
          RunPage.write(
              set,
              files.report(),
              results,
              r -> AnonymizeVideos.auditFile(workDir, r.video()),
              r -> files.staged().get(r.output()));
      set.publish();
      RunSummary.print(
          s, result, options, files.report(), page, RunSummary.processCpuNanos() - processCpuStart);
      return s;
    } finally {
      deleteTree(workDir);
      RunPage.removeEmptyFilesFolder(parentOf(planned.report()));
      try {
        Runtime.getRuntime().removeShutdownHook(removeOnExit);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  /** The inputs and the files a run writes, checked (outputs' folders, names) before any work. */
  static RunFiles plan(AnonymizeOptions options) throws IOException {
    List<String> inputs = Inputs.list(options.getInput(), Inputs.VIDEO_EXTENSIONS);
    Map<String, String> outputs = outputs(inputs, options);
    String first = outputs.values().iterator().next();
    String report = parentOf(first) + REPORT;
    OutputCheck.parentOf(first, "--output");
    String audit = options.getDetections();
    if (audit != null) {
      OutputCheck.parentOf(audit, "--detections");
      if (parentOf(audit).equals(parentOf(report))
          && FileSystems.matchNewResource(audit, false).getFilename().equals(REPORT)) {
        throw new UserError(
            "--detections="
                + audit
                + " is where the run report goes: name the "
                + "audit trail differently");
      }
    }
    return new RunFiles(inputs, outputs, report, audit, null, Map.of());
  }

  /** A new work folder in {@code outDir}, after removing those of runs that were killed. */
  private static String startWorkFolder(String outDir) throws IOException {
    if (LocalFiles.isLocal(outDir)) {
      for (File stale : WorkFolder.removeStale(LocalFiles.localFile(outDir))) {
        System.err.println("anonymize: removed " + stale + ", left by a run that was killed");
      }
    }
    return WorkFolder.create(outDir);
  }

  static SegmentWorker.Config config(AnonymizeOptions o) {
    Masks.Spec mask;
    try {
      mask = new Masks.Spec(o.getMask().toString(), o.getMaskScale(), o.getMosaicRatio());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (o.getDetectEvery() < 1) {
      throw new UserError("--detectEvery must be >= 1");
    }
    if (o.getVerifyEvery() < 1) {
      throw new UserError("--verifyEvery must be >= 1");
    }
    if (o.getHoldFrames() < 0 || o.getHoldFrames() > 60) {
      // a frame waits in memory for the detections of the next holdFrames frames
      throw new UserError("--holdFrames must be between 0 and 60");
    }
    if (o.getHoldFrames() < o.getDetectEvery() / 2) {
      throw new UserError(
          "--holdFrames="
              + o.getHoldFrames()
              + " leaves frames uncovered with "
              + "--detectEvery="
              + o.getDetectEvery()
              + ": use at least "
              + o.getDetectEvery() / 2);
    }
    if (o.getSegmentFrames() < 1) {
      throw new UserError("--segmentFrames must be >= 1");
    }
    EncoderSettings enc =
        new EncoderSettings(
            o.getEncoder().toString(), o.getPreset(), o.getCrf(), o.getBitsPerPixel());
    try {
      enc.resolvedEncoder();
    } catch (Exception e) {
      throw new UserError("--encoder: " + e.getMessage());
    }
    return new SegmentWorker.Config(
        mask,
        o.getDetectEvery(),
        o.getHoldFrames(),
        o.getTrack(),
        o.getOnDetectorError() == AnonymizeOptions.OnDetectorError.FAIL,
        enc,
        o.getDebugFrames(),
        o.getAllowTruncated());
  }

  /** One .mp4 per input: the --output file itself for one input, else OUTPUT/STEM.mp4. */
  static Map<String, String> outputs(List<String> inputs, AnonymizeOptions o) {
    String out = o.getOutput();
    boolean single =
        inputs.size() == 1
            && !out.endsWith("/")
            && !(LocalFiles.isLocal(out) && new File(out).isDirectory())
            && !new File(o.getInput()).isDirectory();
    Map<String, String> map = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String in : inputs) {
      String target =
          single ? out : (out.endsWith("/") ? out : out + "/") + Inputs.stem(in) + ".mp4";
      if (!seen.add(target)) {
        throw new UserError(
            "two inputs would both be written to "
                + target
                + " (same name, different extension): anonymize them separately");
      }
      if (sameFile(in, target)) {
        throw new UserError("--output=" + target + " would overwrite its input");
      }
      map.put(in, target);
    }
    if (single && !Inputs.extension(out).equals("mp4")) {
      throw new UserError(
          "--output=" + out + ": the output is an MP4, name it .mp4 (or give a " + "directory)");
    }
    String first = map.values().iterator().next();
    if (LocalFiles.isLocal(first)) {
      File parent = new File(first).getAbsoluteFile().getParentFile();
      if (!parent.isDirectory() && !parent.mkdirs()) {
        throw new UserError("cannot create output directory " + parent);
      }
    }
    return map;
  }

  private static boolean sameFile(String a, String b) {
    if (LocalFiles.isLocal(a) && LocalFiles.isLocal(b)) {
      return new File(a)
          .getAbsoluteFile()
          .toPath()
          .normalize()
          .equals(new File(b).getAbsoluteFile().toPath().normalize());
    }
    return a.equals(b);
  }

  static String parentOf(String path) {
    if (LocalFiles.isLocal(path)) {
      return new File(path).getAbsoluteFile().getParent() + "/";
    }
    return FileSystems.matchNewResource(path, false).getCurrentDirectory().toString();
  }

  private static void deleteTree(String dir) throws IOException {
    MatchResult m = FileSystems.match(dir + "*", EmptyMatchTreatment.ALLOW);
    List<ResourceId> ids = new ArrayList<>();
    if (m.status() == MatchResult.Status.OK) {
      m.metadata().forEach(md -> ids.add(md.resourceId()));
    }
    FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
    if (LocalFiles.isLocal(dir)) {
      new File(dir).delete();
    }
  }
}
