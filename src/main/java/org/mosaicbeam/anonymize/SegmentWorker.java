package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataOutputStream;
import java.io.File;
import java.io.Serializable;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;
import org.mosaicbeam.video.EncoderSettings;
import org.mosaicbeam.video.Ff;
import org.mosaicbeam.video.H264Encoder;
import org.mosaicbeam.video.I420;
import org.mosaicbeam.video.Segment;
import org.mosaicbeam.video.SegmentStream;
import org.mosaicbeam.video.VideoException;
import org.mosaicbeam.video.VideoInfo;

/**
 * Decodes, detects, masks and encodes one segment, with decoding and encoding on their own threads
 * so the three overlap. At most a few frames are in memory at any time: two small queues plus the
 * {@code holdFrames} window a frame waits in for later detections.
 *
 * <p>Which frames are examined and which findings mask which frames: {@link TemporalHold}. The
 * worker decodes up to M (holdFrames) frames past its segment so that detections there still cover
 * its last frames.
 */
final class SegmentWorker {

  /**
   * Frames encoded by all workers of this JVM, against the frames planned (the total grows as
   * videos are planned); the driver finishes it after the run.
   */
  static final Progress.Shared PROGRESS =
      new Progress.Shared("anonymize/frames", "anonymize: frames", 0);

  /**
   * Settings of a run, shipped to workers.
   *
   * @param allowTruncated keep what decodes of an input that is cut short (--allowTruncated)
   */
  record Config(
      Masks.Spec mask,
      int detectEvery,
      int holdFrames,
      boolean track,
      boolean failOnDetectorError,
      EncoderSettings encoder,
      String debugFrames,
      boolean allowTruncated)
      implements Serializable {}

  /** Counts for the result. */
  static final class Counts {
    long frames;
    long detected;
    long failed;
    long regions;
    // CPU time of each stage's own thread (the codecs run single-threaded inside them)
    long decodeCpuNanos;
    long detectCpuNanos;
    long detectAndMaskCpuNanos;
    long encodeCpuNanos;
  }

  private static long threadCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUEUE = 4;

  /** A decoded frame; {@code sourcePts} is the input's timestamp, {@code pts} the one written. */
  private record Item(
      long index, long pts, long sourcePts, long duration, Mat mat, boolean inSegment) {}

  private static final Item END = new Item(-1, 0, 0, 0, null, false);

  private final Segment seg;
  private final Config cfg;
  private final Detector detector;
  private final VideoInfo info;
  private final Counts counts = new Counts();

  SegmentWorker(Segment seg, Config cfg, Detector detector) {
    this.seg = seg;
    this.cfg = cfg;
    this.detector = detector;
    this.info = seg.info();
  }

  /**
   * @param localVideo the input as a local file
   * @param packets receives the encoded segment (header, packets, end marker)
   * @param audit receives one JSON line per frame of the segment
   */
  Counts run(String localVideo, DataOutputStream packets, Writer audit) throws Exception {
    BlockingQueue<Item> decoded = new ArrayBlockingQueue<>(QUEUE);
    BlockingQueue<Item> masked = new ArrayBlockingQueue<>(QUEUE);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "segment-" + seg.index());
              t.setDaemon(true);
              return t;
            });
    try {
      Future<?> decoder =
          threads.submit(
              () -> {
                long cpu0 = threadCpuNanos();
                try {
                  decode(localVideo, decoded);
                } finally {
                  counts.decodeCpuNanos = threadCpuNanos() - cpu0;
                  decoded.put(END);
                }
                return null;
              });
      Future<?> encoder =
          threads.submit(
              () -> {
                long cpu0 = threadCpuNanos();
                encode(masked, packets);
                counts.encodeCpuNanos = threadCpuNanos() - cpu0;
                return null;
              });
      try {
        long cpu0 = threadCpuNanos();
        detectAndMask(decoded, masked, audit, encoder);
        counts.detectAndMaskCpuNanos = threadCpuNanos() - cpu0;
        put(masked, END, encoder);
      } catch (Exception e) {
        decoder.cancel(true);
        encoder.cancel(true);
        throw e;
      }
      decoder.get();
      encoder.get();
      return counts;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof Exception ? (Exception) c : new RuntimeException(c);
    } finally {
      threads.shutdownNow();
    }
  }

  // ---- decoding thread ---------------------------------------------------------------------

  private void decode(String localVideo, BlockingQueue<Item> out) throws Exception {
    boolean exact = seg.count() > 1 || info.frames() == seg.frames();
    int lookahead = seg.index() + 1 < seg.count() ? cfg.holdFrames() : 0;
    long[] pts = seg.pts();
    long[] source = seg.sourcePts();
    int n = pts.length;
    // A truncated input the user asked to keep (--allowTruncated): its last segment ends where
    // decoding ends, whether the cut frame decodes, fails or is missing.
    boolean keepWhatDecodes =
        cfg.allowTruncated() && info.truncation() != null && seg.index() + 1 == seg.count();
    int got = 0;
    int extra = 0;
    Ff.init(); // FFmpeg quiet unless --verbose, also on a worker JVM that planned nothing
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(localVideo)) {
      // frames stay YUV 4:2:0 from decoder to encoder (a plain copy when the source is 4:2:0)
      g.setImageMode(org.bytedeco.javacv.FrameGrabber.ImageMode.COLOR);
      g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      g.setVideoOption("threads", "1"); // segments are the parallelism: see H264Encoder
      try {
        g.start();
        if (seg.seekMicros() >= 0) {
          g.setVideoTimestamp(seg.seekMicros());
        }
      } catch (Exception e) {
        throw new VideoException(info.path() + ": cannot decode (" + e.getMessage() + ")", e);
      }
      while (got < n || extra < lookahead) {
        Frame f;
        try {
          f = g.grabImage();
        } catch (Exception e) {
          if (keepWhatDecodes) {
            break;
          }
          throw new VideoException(
              info.path()
                  + ": corrupt video data near frame "
                  + (seg.firstFrame() + got)
                  + " ("
                  + e.getMessage()
                  + ")",
              e);
        }
        if (f == null) {
          break;
        }
        long p = info.microsToPts(f.timestamp);
        if (p < source[0]) {
          continue; // before the segment (seek landed early, or an open GOP's leading frames)
        }
        if (got < n) {
          if (p != source[got] && seg.exactTimestamps() && seg.count() > 1) {
            throw new VideoException(
                info.path()
                    + ": frame "
                    + (seg.firstFrame() + got)
                    + " decoded with timestamp "
                    + p
                    + ", expected "
                    + source[got]
                    + " (corrupt file?)");
          }
          out.put(
              new Item(
                  seg.firstFrame() + got,
                  pts[got],
                  source[got],
                  seg.durations()[got],
                  copy(f),
                  true));
          got++;
        } else if (p > source[n - 1]) {
          out.put(new Item(seg.firstFrame() + n + extra, p, p, 0, copy(f), false));
          extra++;
        }
      }
      g.stop();
    }
    if (got < n && !(keepWhatDecodes && got > 0)) {
      throw new VideoException(
          info.path()
              + ": truncated or corrupt: decoded "
              + got
              + " of the "
              + n
              + " frames of segment "
              + seg.index()
              + " (frames "
              + seg.firstFrame()
              + ".."
              + (seg.firstFrame() + n - 1)
              + ")");
    }
    if (!exact && got != n && !keepWhatDecodes) {
      throw new VideoException(info.path() + ": frame count mismatch");
    }
  }

  private Mat copy(Frame f) throws VideoException {
    if (f.imageWidth != info.width() || f.imageHeight != info.height()) {
      throw new VideoException(
          info.path()
              + ": frame size changed mid-stream to "
              + f.imageWidth
              + "x"
              + f.imageHeight
              + " (probed "
              + info.width()
              + "x"
              + info.height()
              + ")");
    }
    try {
      return I420.copyOf((AVFrame) f.opaque, info.width(), info.height());
    } catch (IllegalArgumentException e) {
      throw new VideoException(info.path() + ": unexpected decoded frame (" + e.getMessage() + ")");
    }
  }

  // ---- detection + masking (caller's thread) -------------------------------------------------

  private void detectAndMask(
      BlockingQueue<Item> in, BlockingQueue<Item> out, Writer audit, Future<?> encoder)
      throws Exception {
    Deque<Item> waiting = new ArrayDeque<>();
    TemporalHold hold =
        new TemporalHold(
            cfg.detectEvery(),
            cfg.holdFrames(),
            cfg.track(),
            seg.firstFrame(),
            seg.frames(),
            info.frames(),
            info.width(),
            info.height());
    List<ObjectNode> pendingAudit = new ArrayList<>();
    while (true) {
      Item item = in.take();
      if (item == END) {
        break;
      }
      ObjectNode line = null;
      if (item.inSegment()) {
        line =
            JSON.createObjectNode()
                .put("video", info.path())
                .put("frame", item.index())
                .put("pts", item.pts())
                .put("time", (double) item.pts() * info.timeBaseNum() / info.timeBaseDen());
        if (item.sourcePts() != item.pts()) {
          line.put("sourcePts", item.sourcePts()); // moved: the input repeated a timestamp
        }
        if (info.truncation() != null) {
          line.put("truncatedInput", true); // kept with --allowTruncated
        }
      }
      if (hold.isDetectionFrame(item.index())) {
        detect(item, hold, line);
      } else if (line != null) {
        line.put("detected", false);
      }
      if (item.inSegment()) {
        waiting.add(item);
        pendingAudit.add(line);
      } else {
        item.mat().close();
      }
      while (!waiting.isEmpty() && hold.isFinal(waiting.peek().index(), item.index())) {
        finish(waiting.poll(), hold, pendingAudit.remove(0), out, audit, encoder);
      }
    }
    while (!waiting.isEmpty()) {
      finish(waiting.poll(), hold, pendingAudit.remove(0), out, audit, encoder);
    }
  }

  private void detect(Item item, TemporalHold hold, ObjectNode line) throws Exception {
    try (Mat bgr = I420.toBgr(item.mat())) { // the detectors take BGR
      List<Detection> found;
      long cpu0 = threadCpuNanos();
      try {
        found = detector.detect(bgr);
        counts.detectCpuNanos += threadCpuNanos() - cpu0;
      } catch (Exception | LinkageError e) {
        if (cfg.failOnDetectorError()) {
          throw new DetectorFailedException(
              info.path()
                  + ": detector failed on frame "
                  + item.index()
                  + " (--onDetectorError=fail): "
                  + e,
              e);
        }
        hold.failed(item.index());
        if (line != null) {
          line.put("detected", false).put("error", String.valueOf(e));
        }
        return;
      }
      hold.found(item.index(), found);
      if (line != null) {
        line.put("detected", true);
        line.set("detections", JSON.valueToTree(found));
        counts.detected++;
      }
      if (cfg.debugFrames() != null && item.inSegment()) {
        File dir = new File(cfg.debugFrames(), Inputs.stem(info.path()));
        dir.mkdirs();
        Masks.draw(bgr, found);
        imwrite(new File(dir, String.format("frame-%07d.jpg", item.index())).getPath(), bgr);
      }
    }
  }

  private void finish(
      Item item,
      TemporalHold hold,
      ObjectNode line,
      BlockingQueue<Item> out,
      Writer audit,
      Future<?> encoder)
      throws Exception {
    TemporalHold.Cover cover = hold.finish(item.index());
    boolean whole = cover.wholeFrame();
    Mat mat = item.mat();
    List<Detection> regions;
    if (whole) {
      // Fail closed: the detector could not look at a frame this one depends on.
      regions = List.of(new Detection("frame", 0f, 0, 0, info.width(), info.height()));
      counts.failed++;
    } else {
      regions = Masks.regions(cover.boxes(), cfg.mask().scale(), info.width(), info.height());
    }
    Masks.apply(mat, info.width(), info.height(), regions, cfg.mask());
    counts.regions += regions.size();
    counts.frames++;
    line.put("wholeFrameMasked", whole);
    line.set("masked", JSON.valueToTree(regions));
    audit.write(JSON.writeValueAsString(line));
    audit.write('\n');
    put(out, item, encoder);
  }

  /** Hands a frame to the encoder thread, noticing if that thread died (no deadlock). */
  private static void put(BlockingQueue<Item> q, Item item, Future<?> consumer) throws Exception {
    while (!q.offer(item, 200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (consumer.isDone()) {
        consumer.get(); // throws the consumer's failure
        throw new IllegalStateException("encoder stopped early");
      }
    }
  }

  // ---- encoding thread ---------------------------------------------------------------------

  private void encode(BlockingQueue<Item> in, DataOutputStream packets) throws Exception {
    int gop = (int) Math.max(1, Math.min(600, Math.round(info.frameRate() * 4)));
    try (H264Encoder enc = new H264Encoder(info, cfg.encoder(), gop)) {
      SegmentStream.writeHeader(packets, enc.header());
      long[] written = {0};
      long received = 0;
      H264Encoder.Sink sink =
          p -> {
            SegmentStream.writePacket(packets, p);
            written[0]++;
          };
      while (true) {
        Item item = in.take();
        if (item == END) {
          break;
        }
        received++;
        try {
          enc.encode(item.mat(), item.pts(), item.duration(), sink);
        } finally {
          item.mat().close();
        }
        PROGRESS.add(1);
      }
      enc.finish(sink);
      if (written[0] != received) {
        throw new VideoException(
            info.path()
                + ": segment "
                + seg.index()
                + " encoded "
                + written[0]
                + " of "
                + received
                + " frames");
      }
      SegmentStream.writeEnd(packets, written[0]);
    }
  }
}
