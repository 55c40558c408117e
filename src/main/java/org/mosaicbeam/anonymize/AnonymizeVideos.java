package org.mosaicbeam.anonymize;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.video.H264Encoder;
import org.mosaicbeam.video.Mp4Assembler;
import org.mosaicbeam.video.Segment;
import org.mosaicbeam.video.VideoException;
import org.mosaicbeam.video.VideoInfo;
import org.mosaicbeam.video.VideoProbe;

/**
 * Input video paths → anonymized MP4s. Frames never become pipeline elements one by one (a
 * 10-minute video would be 18,000 6-MB elements): the elements are segments, runs of ~300 frames
 * that start at a keyframe and are described by their timestamps only. Steps:
 *
 * <ol>
 *   <li>PlanSegments: demux (no decoding) to count frames and find keyframes; bad inputs go to the
 *       failure output here.
 *   <li>Reshuffle: spreads the segments over workers.
 *   <li>AnonymizeSegment: decode, detect, mask and encode one segment to a packet file in the work
 *       directory; memory holds a handful of frames.
 *   <li>GroupByKey(video) → Assemble: concatenates the segments' packets in order with the audio
 *       into the MP4 (through AtomicOutput); a video with any failed segment gets no output, only a
 *       failed result.
 * </ol>
 *
 * Output: one {@link VideoResult} per video (ReportResults writes them to the run report).
 */
public final class AnonymizeVideos
    extends PTransform<PCollection<String>, PCollection<VideoResult>> {
  static final TupleTag<Segment> SEGMENTS = new TupleTag<>() {};
  static final TupleTag<KV<String, SegmentResult>> FAILED = new TupleTag<>() {};

  private final SerializableFunction<String, String> outputFor;
  private final SerializableFunction<String, String> stagedPath;
  private final String workDir;
  private final int segmentFrames;
  private final SegmentWorker.Config config;
  private final DetectorFactory detectors;
  private final boolean keepAudio;
  private final boolean keepAudit;

  private AnonymizeVideos(
      SerializableFunction<String, String> outputFor,
      SerializableFunction<String, String> stagedPath,
      String workDir,
      int segmentFrames,
      SegmentWorker.Config config,
      DetectorFactory detectors,
      boolean keepAudio,
      boolean keepAudit) {
    this.outputFor = outputFor;
    this.stagedPath = stagedPath;
    this.workDir = workDir;
    this.segmentFrames = segmentFrames;
    this.config = config;
    this.detectors = detectors;
    this.keepAudio = keepAudio;
    this.keepAudit = keepAudit;
  }

  /**
   * The transform for a run's options (a bad flag fails here).
   *
   * @param outputFor where each input's MP4 goes (a function: a stream's inputs are not known up
   *     front)
   * @param workDir where segments and audit parts wait for assembly (ends with "/")
   */
  public static AnonymizeVideos from(
      AnonymizeOptions options,
      SerializableFunction<String, String> outputFor,
      String workDir,
      DetectorFactory detectors) {
    return new AnonymizeVideos(
        outputFor,
        output -> output,
        workDir,
        options.getSegmentFrames(),
        AnonymizePipeline.config(options),
        detectors,
        options.getAudio() != AnonymizeOptions.Audio.DROP,
        false);
  }

  /** Writes each MP4 to {@code stagedPath(output)} (an OutputSet's staging name) instead. */
  public AnonymizeVideos withStaging(SerializableFunction<String, String> stagedPath) {
    return new AnonymizeVideos(
        outputFor, stagedPath, workDir, segmentFrames, config, detectors, keepAudio, keepAudit);
  }

  /** Keeps each written video's audit lines in {@link #auditFile} (for ReportResults). */
  public AnonymizeVideos withAudit() {
    return new AnonymizeVideos(
        outputFor, stagedPath, workDir, segmentFrames, config, detectors, keepAudio, true);
  }

  /** The coders of what anonymize's steps pass between them, registered in one place. */
  public static void registerCoders(Pipeline p) {
    CoderRegistry coders = p.getCoderRegistry();
    coders.registerCoderForClass(Segment.class, SerializableCoder.of(Segment.class));
    coders.registerCoderForClass(SegmentResult.class, SerializableCoder.of(SegmentResult.class));
    coders.registerCoderForClass(VideoResult.class, SerializableCoder.of(VideoResult.class));
  }

  @Override
  public PCollection<VideoResult> expand(PCollection<String> inputs) {
    PCollectionTuple planned =
        inputs.apply(
            "PlanSegments",
            ParDo.of(new PlanSegmentsFn(segmentFrames, config))
                .withOutputTags(SEGMENTS, TupleTagList.of(FAILED)));
    PCollection<KV<String, SegmentResult>> done =
        planned
            .get(SEGMENTS)
            .apply("SpreadSegments", Reshuffle.viaRandomKey())
            .apply(
                "AnonymizeSegment", ParDo.of(new AnonymizeSegmentFn(workDir, config, detectors)));
    return PCollectionList.of(done)
        .and(planned.get(FAILED))
        .apply(Flatten.pCollections())
        .apply("GroupByVideo", GroupByKey.create())
        .apply(
            "Assemble",
            ParDo.of(new AssembleFn(outputFor, stagedPath, workDir, keepAudio, keepAudit)));
  }

  static String videoId(String video) {
    return Integer.toHexString(video.hashCode() & 0x7fffffff)
        + "-"
        + Inputs.stem(video).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String auditFile(String workDir, String video) {
    return workDir + "audit-" + videoId(video) + ".jsonl";
  }

  /** Probes a video and cuts it into segments. */
  static class PlanSegmentsFn extends DoFn<String, Segment> {
    private final Counter videos = Metrics.counter(AnonymizeVideos.class, "videos");
    private final Counter badInputs = Metrics.counter(AnonymizeVideos.class, "failedVideos");
    private final int segmentFrames;
    private final SegmentWorker.Config config;

    PlanSegmentsFn(int segmentFrames, SegmentWorker.Config config) {
      this.segmentFrames = segmentFrames;
      this.config = config;
    }

    @ProcessElement
    public void process(@Element String video, MultiOutputReceiver out) throws Exception {
      videos.inc();
      try (LocalFiles.Localized local = LocalFiles.localized(video)) {
        VideoProbe.Result probe = VideoProbe.probe(local.path().toString(), video);
        VideoInfo info = probe.info();
        if (info.truncation() != null && !config.allowTruncated()) {
          throw new VideoException(
              video
                  + ": truncated: "
                  + info.truncation()
                  + "; --allowTruncated keeps what decodes");
        }
        String size =
            H264Encoder.unsupportedSize(
                config.encoder().resolvedEncoder(), info.width(), info.height());
        if (size != null) {
          throw new VideoException(video + ": " + size);
        }
        SegmentWorker.PROGRESS.progress().realTime(info.frameRate()).addTotal(info.frames());
        for (Segment s : Segment.plan(probe, segmentFrames)) {
          out.get(SEGMENTS).output(s);
        }
      } catch (VideoException | IOException e) {
        badInputs.inc();
        out.get(FAILED).output(KV.of(video, SegmentResult.failed(video, e.getMessage())));
      }
    }
  }

  /** Counter name prefix of each detector part's CPU time ("cpuMicros.detect.faces", ...). */
  static final String DETECT_CPU_PREFIX = "cpuMicros.detect.";

  /** Decodes, detects, masks and encodes one segment (see SegmentWorker). */
  static class AnonymizeSegmentFn extends DoFn<Segment, KV<String, SegmentResult>> {
    private final Counter frames = Metrics.counter(AnonymizeVideos.class, "frames");
    private final Counter detected = Metrics.counter(AnonymizeVideos.class, "detectedFrames");
    private final Counter failedFrames =
        Metrics.counter(AnonymizeVideos.class, "detectorFailedFrames");
    private final Counter regions = Metrics.counter(AnonymizeVideos.class, "maskedRegions");
    private final Counter decodeCpu = Metrics.counter(AnonymizeVideos.class, "cpuMicros.decode");
    private final Counter detectCpu = Metrics.counter(AnonymizeVideos.class, "cpuMicros.detect");
    private final Counter detectAndMaskCpu =
        Metrics.counter(AnonymizeVideos.class, "cpuMicros.detectAndMask");
    private final Counter encodeCpu = Metrics.counter(AnonymizeVideos.class, "cpuMicros.encode");
    private final String workDir;
    private final SegmentWorker.Config config;
    private final DetectorFactory detectors;
    private transient Detector detector;
    private transient Map<String, Long> reportedDetectNanos; // per part, so far
    // The last video's local copy: segments of one video tend to reach a worker one after another,
    // so a remote video is downloaded once per worker rather than once per segment.
    private transient String inputVideo;
    private transient LocalFiles.Localized input;

    AnonymizeSegmentFn(String workDir, SegmentWorker.Config config, DetectorFactory detectors) {
      this.workDir = workDir;
      this.config = config;
      this.detectors = detectors;
    }

    @ProcessElement
    public void process(
        @Element Segment seg,
        OutputReceiver<KV<String, SegmentResult>> out,
        PipelineOptions options)
        throws Exception {
      if (detector == null) {
        detector = detectors.create(options.as(DetectorOptions.class));
        reportedDetectNanos = new HashMap<>();
      }
      String video = seg.info().path();
      String base = workDir + videoId(video) + String.format("-seg%05d", seg.index());
      String packets = base + ".bin";
      String audit = base + ".jsonl";
      StringWriter auditLines = new StringWriter();
      SegmentWorker.Counts[] counts = {null};
      try {
        LocalFiles.Localized local = localCopy(video);
        AtomicOutput.write(
            packets,
            "application/octet-stream",
            raw -> {
              try (DataOutputStream data =
                  new DataOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
                counts[0] =
                    new SegmentWorker(seg, config, detector)
                        .run(local.path().toString(), data, auditLines);
              } catch (IOException | RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IOException(e);
              }
            });
      } catch (IOException e) {
        Throwable cause = e.getCause() instanceof VideoException ? e.getCause() : e;
        String msg = String.valueOf(cause.getMessage());
        // every failure line names its input (the encoder's own errors do not)
        out.output(
            KV.of(
                video,
                SegmentResult.failed(video, msg.contains(video) ? msg : video + ": " + msg)));
        return;
      }
      AtomicOutput.write(
          audit,
          "application/jsonl",
          o -> o.write(auditLines.toString().getBytes(StandardCharsets.UTF_8)));
      SegmentWorker.Counts c = counts[0];
      frames.inc(c.frames);
      detected.inc(c.detected);
      failedFrames.inc(c.failed);
      regions.inc(c.regions);
      reportDetectorCpu();
      decodeCpu.inc(c.decodeCpuNanos / 1000);
      detectCpu.inc(c.detectCpuNanos / 1000);
      detectAndMaskCpu.inc(c.detectAndMaskCpuNanos / 1000);
      encodeCpu.inc(c.encodeCpuNanos / 1000);
      out.output(
          KV.of(
              video,
              new SegmentResult(
                  video,
                  seg.index(),
                  seg.count(),
                  c.frames,
                  c.detected,
                  c.failed,
                  c.regions,
                  packets,
                  audit,
                  null)));
    }

    /** Each detector part's CPU time since the last report, as a counter per part. */
    private void reportDetectorCpu() {
      detector
          .cpuNanosByPart()
          .forEach(
              (part, nanos) -> {
                long before = reportedDetectNanos.getOrDefault(part, 0L);
                Metrics.counter(AnonymizeVideos.class, DETECT_CPU_PREFIX + part)
                    .inc((nanos - before) / 1000);
                reportedDetectNanos.put(part, nanos);
              });
    }

    private LocalFiles.Localized localCopy(String video) throws IOException {
      if (!video.equals(inputVideo)) {
        closeInput();
        input = LocalFiles.localized(video);
        inputVideo = video;
      }
      return input;
    }

    private void closeInput() throws IOException {
      if (input != null) {
        input.close();
        input = null;
        inputVideo = null;
      }
    }

    @Teardown
    public void teardown() throws Exception {
      closeInput();
      if (detector != null) {
        detector.close();
      }
    }
  }

  /** Concatenates a video's segments (in order) and its audio into the output MP4. */
  static class AssembleFn extends DoFn<KV<String, Iterable<SegmentResult>>, VideoResult> {
    private final Counter written = Metrics.counter(AnonymizeVideos.class, "writtenVideos");
    private final Counter failedVideos = Metrics.counter(AnonymizeVideos.class, "failedVideos");
    private final Counter moved = Metrics.counter(AnonymizeVideos.class, "movedTimestamps");
    private final Counter truncated = Metrics.counter(AnonymizeVideos.class, "truncatedVideos");
    private final SerializableFunction<String, String> outputFor;
    private final SerializableFunction<String, String> stagedPath;
    private final String workDir;
    private final boolean keepAudio;
    private final boolean keepAudit;

    AssembleFn(
        SerializableFunction<String, String> outputFor,
        SerializableFunction<String, String> stagedPath,
        String workDir,
        boolean keepAudio,
        boolean keepAudit) {
      this.outputFor = outputFor;
      this.stagedPath = stagedPath;
      this.workDir = workDir;
      this.keepAudio = keepAudio;
      this.keepAudit = keepAudit;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<SegmentResult>> e, OutputReceiver<VideoResult> out)
        throws Exception {
      String video = e.getKey();
      List<SegmentResult> segs = new ArrayList<>();
      e.getValue().forEach(segs::add);
      segs.sort((a, b) -> Integer.compare(a.index(), b.index()));
      String error = null;
      for (SegmentResult s : segs) {
        if (s.error() != null) {
          error = s.error();
          break;
        }
      }
      if (error == null && (segs.isEmpty() || segs.size() != segs.get(0).count())) {
        error = video + ": missing segments";
      }
      long frames = segs.stream().mapToLong(SegmentResult::frames).sum();
      long regions = segs.stream().mapToLong(SegmentResult::regions).sum();
      long failedFrames = segs.stream().mapToLong(SegmentResult::failedFrames).sum();
      try {
        if (error != null) {
          // planning failures were counted when planning; count the rest here
          if (segs.stream().allMatch(s -> s.index() >= 0 || s.error() == null)) {
            failedVideos.inc();
          }
          out.output(VideoResult.failed(video, error, frames, regions, failedFrames));
          return;
        }
        String output = outputFor.apply(video);
        VideoProbe.Result probe;
        try (LocalFiles.Localized local = LocalFiles.localized(video)) {
          probe = VideoProbe.probe(local.path().toString(), video);
          List<Mp4Assembler.SegmentSource> sources = new ArrayList<>();
          for (SegmentResult s : segs) {
            ResourceId id = FileSystems.matchNewResource(s.packets(), false);
            sources.add(() -> Channels.newInputStream(FileSystems.open(id)));
          }
          VideoInfo info = probe.info();
          AtomicOutput.writeLocal(
              stagedPath.apply(output),
              "video/mp4",
              tmp ->
                  Mp4Assembler.assemble(
                      local.path().toString(), info, sources, keepAudio, tmp.toString()));
        } catch (VideoException | IOException ex) {
          // This video fails alone, in one line; the others of the run are still written.
          failedVideos.inc();
          String msg =
              ex.getMessage() != null && ex.getMessage().contains(Inputs.stem(video))
                  ? ex.getMessage()
                  : video + ": cannot write the MP4 (" + ex.getMessage() + ")";
          out.output(VideoResult.failed(video, msg, frames, regions, failedFrames));
          return;
        }
        if (keepAudit) {
          AtomicOutput.write(
              auditFile(workDir, video),
              "application/jsonl",
              o -> {
                for (SegmentResult s : segs) {
                  try (InputStream in =
                      Channels.newInputStream(
                          FileSystems.open(FileSystems.matchNewResource(s.audit(), false)))) {
                    in.transferTo(o);
                  }
                }
              });
        }
        written.inc();
        out.output(
            new VideoResult(
                video, output, frames, regions, failedFrames, null, notes(probe, frames), null));
      } finally {
        List<ResourceId> temps = new ArrayList<>();
        for (SegmentResult s : segs) {
          if (s.packets() != null) {
            temps.add(FileSystems.matchNewResource(s.packets(), false));
            temps.add(FileSystems.matchNewResource(s.audit(), false));
          }
        }
        FileSystems.delete(temps, StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }

    /** The summary's notes on a written video: truncation kept, timestamps moved. */
    private List<String> notes(VideoProbe.Result probe, long frames) {
      List<String> notes = new ArrayList<>();
      VideoInfo info = probe.info();
      if (info.truncation() != null) {
        truncated.inc();
        notes.add(
            "truncated input kept (--allowTruncated): "
                + info.truncation()
                + "; "
                + frames
                + " frames written");
      }
      if (probe.movedTimestamps() > 0) {
        moved.inc(probe.movedTimestamps());
        notes.add(
            probe.movedTimestamps()
                + " frame(s) repeated an earlier timestamp and were "
                + "moved later by the smallest step ("
                + info.timeBaseNum()
                + "/"
                + info.timeBaseDen()
                + " s); every frame kept");
      }
      return notes;
    }
  }
}
