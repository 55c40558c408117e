package org.mosaicbeam.anonymize;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.mosaicbeam.cli.Cli;
import org.mosaicbeam.cli.UserError;
import org.mosaicbeam.io.OutputCheck;
import org.mosaicbeam.io.OutputSet;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.model.DetectorFactory;
import org.mosaicbeam.model.Detectors;
import org.mosaicbeam.model.rekognition.RekognitionStats;
import org.mosaicbeam.video.EncoderSettings;

/**
 * {@code mosaicbeam anonymize}: masks faces and licence plates in videos (see AnonymizeVideos for
 * the pipeline's shape and README "anonymize" for the options).
 */
public final class AnonymizePipeline {
  private AnonymizePipeline() {}

  /**
   * What a run did, for the summary and for tests.
   *
   * @param notes what was done to a written video beyond the usual, "VIDEO: note" (a truncated
   *     input kept, timestamps moved)
   */
  public record Summary(List<String> videos, List<String> failures, long frames,
      long detectorFailedFrames, long maskedRegions, double seconds, List<String> notes) {}

  public static void main(String[] args) throws Exception {
    AnonymizeOptions options = Cli.parse(args, AnonymizeOptions.class);
    if (options != null) {
      Summary s = run(options);
      if (!s.failures().isEmpty()) {
        throw new UserError(s.failures().size() == 1 && s.videos().isEmpty()
            ? s.failures().get(0)
            : s.failures().size() + " of " + (s.videos().size() + s.failures().size())
                + " videos failed (listed above); the others were written");
      }
    }
  }

  public static Summary run(AnonymizeOptions options) throws Exception {
    Detectors.choice(options); // a bad detector flag fails here, not on a worker
    UserModels.check(options); // and a model file that does not load
    return run(options, Detectors::create);
  }

  public static Summary run(AnonymizeOptions options, DetectorFactory detectors)
      throws Exception {
    options.setOutput(AnonymizeOptions.output(options));
    if (options.getWatch() != null) {
      return AnonymizeWatch.run(options, detectors); // streaming mode: runs until cancelled
    }
    if (options.getInput() == null) {
      throw new UserError("--input is required (a video or a directory), or --watch=DIR|s3://...");
    }
    FileSystems.setDefaultPipelineOptions(options);
    SegmentWorker.Config config = config(options);
    List<String> inputs = Inputs.list(options.getInput(), Inputs.VIDEO_EXTENSIONS);
    Map<String, String> outputs = outputs(inputs, options);
    OutputCheck.parentOf(outputs.values().iterator().next(), "--output"); // before any work
    if (options.getDetections() != null) {
      OutputCheck.parentOf(options.getDetections(), "--detections");
    }
    String outDir = parentOf(outputs.values().iterator().next());
    if (LocalFiles.isLocal(outDir)) {
      for (File stale : WorkFolder.removeStale(LocalFiles.localFile(outDir))) {
        System.err.println("anonymize: removed " + stale + ", left by a run that was killed");
      }
    }
    String workDir = WorkFolder.create(outDir);
    // Ctrl-C and kill (not kill -9) run shutdown hooks but not the finally below.
    Thread removeOnExit = new Thread(() -> {
      try {
        deleteTree(workDir);
      } catch (Exception e) {
        // the next run in this folder removes it
      }
    }, "remove-work-folder");
    Runtime.getRuntime().addShutdownHook(removeOnExit);
    SegmentWorker.PROGRESS.finish(); // a run before this one in the JVM (tests) starts nothing here
    long start = System.nanoTime();
    long processCpuStart = processCpuNanos();
    System.err.printf("anonymize: %d video(s), detector=%s, encoder=%s, mask=%s%n",
        inputs.size(), options.getDetector(), config.encoder().resolvedEncoder(),
        options.getMask());
    // The videos and the audit trail are one set: written to staging names, published together
    // after the run, so a run that fails leaves the previous outputs and audit as they were.
    OutputSet set = OutputSet.forFiles();
    Map<String, String> staged = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      staged.put(e.getKey(), set.stage(e.getValue()));
    }
    if (options.getDetections() != null) {
      set.stage(options.getDetections()); // its staging folder now: an unwritable place fails here
    }
    Pipeline p = Pipeline.create(options);
    p.apply("Inputs", Create.of(inputs))
        .apply("AnonymizeVideos", new AnonymizeVideos(staged, workDir, options.getSegmentFrames(),
            config, detectors, options.getAudio() != AnonymizeOptions.Audio.DROP,
            options.getDetections() != null));
    try (set) {
      PipelineResult result = p.run();
      result.waitUntilFinish();
      SegmentWorker.PROGRESS.finish();
      double secs = (System.nanoTime() - start) / 1e9;
      List<String> failures = new ArrayList<>();
      for (String in : inputs) {
        String failure = readIfExists(AnonymizeVideos.failureFile(workDir, in));
        if (failure != null) {
          failures.add(failure);
          System.err.println("anonymize: FAILED " + failure);
        }
      }
      List<String> written = new ArrayList<>();
      for (String in : inputs) {
        if (readIfExists(AnonymizeVideos.failureFile(workDir, in)) == null) {
          written.add(outputs.get(in));
        }
      }
      List<String> notes = new ArrayList<>();
      for (String in : inputs) {
        String n = readIfExists(AnonymizeVideos.notesFile(workDir, in));
        if (n != null) {
          n.lines().forEach(line -> notes.add(in + ": " + line));
        }
      }
      if (options.getDetections() != null) {
        writeAudit(set, options.getDetections(), inputs, workDir);
      }
      set.publish();
      if (options.getDetections() != null) {
        System.err.println("anonymize: audit trail (one line per frame) in " + options.getDetections());
      }
      long frames = counter(result, "frames");
      Summary s = new Summary(written, failures, frames, counter(result, "detectorFailedFrames"),
          counter(result, "maskedRegions"), secs, notes);
      System.err.printf(Locale.ROOT,
          "anonymize: done in %.1fs: %d video(s) written, %d failed, %d frames (%.1f fps), "
              + "%d regions masked, %d frames masked whole because the detector failed%n",
          secs, written.size(), failures.size(), frames, frames / Math.max(1e-9, secs),
          s.maskedRegions(), s.detectorFailedFrames());
      if (frames > 0) {
        printCpuPerFrame(result, frames, options.getRunner().getSimpleName().equals("DirectRunner")
            ? processCpuNanos() - processCpuStart : -1);
      }
      if (options.getDetector() != null && Detectors.choice(options).uses("rekognition")) {
        System.err.println("anonymize: " + RekognitionStats.fromMetrics(result.metrics())
            .summary(options.getPricePerImage()));
      }
      for (String note : notes) {
        System.err.println("anonymize: " + note);
      }
      for (String w : written) {
        System.err.println("anonymize: wrote " + w);
      }
      return s;
    } finally {
      deleteTree(workDir);
      try {
        Runtime.getRuntime().removeShutdownHook(removeOnExit);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
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
    if (o.getHoldFrames() < 0 || o.getHoldFrames() > 60) {
      // a frame waits in memory for the detections of the next holdFrames frames
      throw new UserError("--holdFrames must be between 0 and 60");
    }
    if (o.getHoldFrames() < o.getDetectEvery() / 2) {
      throw new UserError("--holdFrames=" + o.getHoldFrames() + " leaves frames uncovered with "
          + "--detectEvery=" + o.getDetectEvery() + ": use at least " + o.getDetectEvery() / 2);
    }
    if (o.getSegmentFrames() < 1) {
      throw new UserError("--segmentFrames must be >= 1");
    }
    EncoderSettings enc = new EncoderSettings(o.getEncoder().toString(), o.getPreset(), o.getCrf(),
        o.getBitsPerPixel());
    try {
      enc.resolvedEncoder();
    } catch (Exception e) {
      throw new UserError("--encoder: " + e.getMessage());
    }
    return new SegmentWorker.Config(mask, o.getDetectEvery(), o.getHoldFrames(),
        o.getOnDetectorError() == AnonymizeOptions.OnDetectorError.FAIL, enc, o.getDebugFrames(), o.getAllowTruncated());
  }

  /** One .mp4 per input: the --output file itself for one input, else OUTPUT/STEM.mp4. */
  static Map<String, String> outputs(List<String> inputs, AnonymizeOptions o) {
    String out = o.getOutput();
    boolean single = inputs.size() == 1 && !out.endsWith("/")
        && !(LocalFiles.isLocal(out) && new File(out).isDirectory())
        && !new File(o.getInput()).isDirectory();
    Map<String, String> map = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String in : inputs) {
      String target = single ? out : (out.endsWith("/") ? out : out + "/")
          + Inputs.stem(in) + ".mp4";
      if (!seen.add(target)) {
        throw new UserError("two inputs would both be written to " + target
            + " (same name, different extension): anonymize them separately");
      }
      if (sameFile(in, target)) {
        throw new UserError("--output=" + target + " would overwrite its input");
      }
      map.put(in, target);
    }
    if (single && !Inputs.extension(out).equals("mp4")) {
      throw new UserError("--output=" + out + ": the output is an MP4, name it .mp4 (or give a "
          + "directory)");
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
      return new File(a).getAbsoluteFile().toPath().normalize()
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

  private static String readIfExists(String path) throws IOException {
    MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(
        FileSystems.open(m.metadata().get(0).resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The per-video audit parts, in input order, as one JSON-lines file. */
  private static void writeAudit(OutputSet set, String target, List<String> inputs, String workDir)
      throws IOException {
    set.write(target, "application/jsonl", out -> {
      for (String in : inputs) {
        MatchResult m = FileSystems.match(AnonymizeVideos.auditFile(workDir, in),
            EmptyMatchTreatment.ALLOW);
        if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
          try (InputStream part = Channels.newInputStream(
              FileSystems.open(m.metadata().get(0).resourceId()))) {
            part.transferTo(out);
          }
        }
      }
    });
  }

  /**
   * Where the CPU went, per frame: each stage's own thread (decode, detect, the rest of
   * detect-and-mask, encode) and, when the whole run is in this JVM, everything else in it (Beam,
   * GC, JIT, OpenCV's worker threads): what a speed change has to beat.
   */
  /**
   * One line: CPU per frame of the video by stage, the detector's share explained by the frames
   * it examined (two separate per-frame numbers, 13 ms and 151 ms, read as a contradiction).
   */
  private static void printCpuPerFrame(PipelineResult result, long frames, long processCpuNanos) {
    long detectedFrames = counter(result, "detectedFrames");
    StringBuilder byDetector = new StringBuilder();
    long detectorMicros = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(AnonymizeVideos.class)).build()).getCounters()) {
      String name = c.getName().getName();
      if (name.startsWith(AnonymizeVideos.DETECT_CPU_PREFIX) && detectedFrames > 0) {
        detectorMicros += c.getAttempted();
        byDetector.append(String.format(Locale.ROOT, "%s %s %.0f", byDetector.length() == 0 ? ":" : ",",
            name.substring(AnonymizeVideos.DETECT_CPU_PREFIX.length()), c.getAttempted() / 1000.0 / detectedFrames));
      }
    }
    String examined = detectedFrames == 0 ? "" : String.format(Locale.ROOT,
        " (%d of %d frames examined, %.0f ms each%s)", detectedFrames, frames,
        detectorMicros / 1000.0 / detectedFrames, byDetector);
    double decode = counter(result, "cpuMicros.decode") / 1000.0 / frames;
    double detect = counter(result, "cpuMicros.detect") / 1000.0 / frames;
    double detectAndMask = counter(result, "cpuMicros.detectAndMask") / 1000.0 / frames;
    double encode = counter(result, "cpuMicros.encode") / 1000.0 / frames;
    String rest = processCpuNanos < 0 ? "" : String.format(Locale.ROOT,
        ", rest of the process %.1f ms (Beam, GC, JIT, OpenCV threads)",
        processCpuNanos / 1e6 / frames - decode - detectAndMask - encode);
    System.err.printf(Locale.ROOT, "anonymize: CPU per frame of video: decode %.1f ms, detect %.1f ms%s, "
            + "mask and the rest of that thread %.1f ms, encode %.1f ms%s%n",
        decode, detect, examined, detectAndMask - detect, encode, rest);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(AnonymizeVideos.class, name)).build())
        .getCounters()) {
      total += c.getAttempted();
    }
    return total;
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
