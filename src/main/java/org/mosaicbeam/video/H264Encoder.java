package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes YUV 4:2:0 frames ({@link I420}) to H.264 packets that keep the source's exact timestamps:
 * the encoder runs in the source stream's time base and each frame carries its original pts.
 * B-frames are off, so decode order equals presentation order and independently encoded segments
 * concatenate with monotonic timestamps.
 */
public final class H264Encoder implements AutoCloseable {

  /** Receives encoded packets in order. */
  @FunctionalInterface
  public interface Sink {
    void accept(SegmentStream.Packet packet) throws Exception;
  }

  private final AVCodecContext ctx;
  private final AVFrame frame;
  private final AVPacket pkt;
  private final int width;
  private final int height;
  private final Map<Long, Long> durations = new HashMap<>();
  private final String name;

  public H264Encoder(VideoInfo info, EncoderSettings settings, int gopFrames)
      throws VideoException {
    Ff.init();
    name = settings.resolvedEncoder();
    if (info.width() % 2 != 0 || info.height() % 2 != 0) {
      throw new VideoException(
          info.path()
              + ": odd picture size "
              + info.width()
              + "x"
              + info.height()
              + " cannot be encoded as 4:2:0 H.264");
    }
    AVCodec codec = avcodec_find_encoder_by_name(name);
    width = info.width();
    height = info.height();
    ctx = avcodec_alloc_context3(codec);
    ctx.width(width);
    ctx.height(height);
    ctx.pix_fmt(AV_PIX_FMT_YUV420P);
    ctx.time_base(av_make_q(info.timeBaseNum(), info.timeBaseDen()));
    if (info.frameRateNum() > 0 && info.frameRateDen() > 0) {
      ctx.framerate(av_make_q(info.frameRateNum(), info.frameRateDen()));
    }
    ctx.max_b_frames(0);
    ctx.gop_size(gopFrames);
    // One thread, like the decoder (SegmentWorker): segments already run in parallel, and codec
    // threads on top of them cost CPU and memory (1-minute 1080p run, two A/B pairs: 3-8% less
    // CPU, peak RSS 654-753 MB -> 647-672 MB).
    ctx.thread_count(1);
    ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    AVDictionary opts = new AVDictionary(null);
    if (name.equals("libx264")) {
      av_dict_set(opts, "preset", settings.preset(), 0);
      av_dict_set(opts, "crf", Integer.toString(settings.crf()), 0);
    } else {
      double fps = info.frameRate() > 0 ? Math.min(info.frameRate(), 120) : 30;
      ctx.bit_rate((long) (settings.bitsPerPixel() * width * height * fps));
      av_dict_set(opts, "allow_skip_frames", "0", 0); // every input frame must come out
    }
    int ret = avcodec_open2(ctx, codec, opts);
    av_dict_free(opts);
    if (ret < 0) {
      avcodec_free_context(ctx);
      throw new VideoException("cannot open encoder " + name + ": " + Ff.err(ret));
    }
    frame = av_frame_alloc();
    frame.format(AV_PIX_FMT_YUV420P);
    frame.width(width);
    frame.height(height);
    Ff.check(av_frame_get_buffer(frame, 32), "frame buffer");
    pkt = av_packet_alloc();
  }

  /**
   * Why {@code encoder} cannot encode a {@code width x height} picture, or null when it can:
   * checked while planning, before anything is decoded. libopenh264 refuses pictures under 16
   * pixels a side ("Don't support width(2) or height(2) which is less than 16!") with an unnamed
   * error code on the first frame.
   */
  public static String unsupportedSize(String encoder, int width, int height) {
    if (encoder.equals("libopenh264") && (width < 16 || height < 16)) {
      return "picture size " + width + "x" + height + " is below what libopenh264 encodes (16x16)";
    }
    return null;
  }

  public String encoderName() {
    return name;
  }

  /** Parameter sets and profile: what a muxer needs; available once the encoder is open. */
  public SegmentStream.Header header() {
    byte[] extra = new byte[Math.max(0, ctx.extradata_size())];
    if (extra.length > 0) {
      ctx.extradata().get(extra);
    }
    return new SegmentStream.Header(width, height, ctx.profile(), ctx.level(), extra);
  }

  /** Encodes one frame shown at {@code pts} for {@code duration} (source time base). */
  public void encode(Mat i420, long pts, long duration, Sink sink) throws Exception {
    if (i420.cols() != width || i420.rows() != height * 3 / 2) {
      throw new VideoException(
          "frame size changed mid-stream: " + i420.cols() + "x" + i420.rows() * 2 / 3);
    }
    Ff.check(av_frame_make_writable(frame), "frame writable");
    I420.copyTo(i420, width, height, frame);
    frame.pts(pts);
    frame.duration(duration);
    durations.put(pts, duration);
    Ff.check(avcodec_send_frame(ctx, frame), "encode");
    drain(sink);
  }

  /** Flushes the frames still inside the encoder. */
  public void finish(Sink sink) throws Exception {
    Ff.check(avcodec_send_frame(ctx, null), "flush encoder");
    drain(sink);
  }

  private void drain(Sink sink) throws Exception {
    while (true) {
      int ret = avcodec_receive_packet(ctx, pkt);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      Ff.check(ret, "encode");
      byte[] data = new byte[pkt.size()];
      pkt.data().get(data);
      Long duration = durations.remove(pkt.pts());
      sink.accept(
          new SegmentStream.Packet(
              pkt.pts(),
              pkt.dts(),
              duration != null ? duration : pkt.duration(),
              (pkt.flags() & AV_PKT_FLAG_KEY) != 0,
              data));
      av_packet_unref(pkt);
    }
  }

  @Override
  public void close() {
    av_packet_free(pkt);
    av_frame_free(frame);
    avcodec_free_context(ctx);
  }
}
