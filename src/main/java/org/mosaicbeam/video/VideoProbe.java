package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.IntPointer;

/**
 * Reads a video's stream facts and the timestamp of every frame by demuxing only (no decoding:
 * ~100x faster than real time), so frames can be planned into segments before any pixel work.
 */
public final class VideoProbe {
  private VideoProbe() {}

  /**
   * Facts plus one entry per frame in presentation order.
   *
   * @param pts the frames' output timestamps: the source's, made strictly increasing
   * @param sourcePts the timestamps the decoder reports (may repeat: see {@link Timestamps})
   * @param exactTimestamps every frame has its own pts (none missing), so decoded frames can be
   *     matched to the plan by timestamp
   * @param movedTimestamps how many frames got a later timestamp than the source's
   */
  public record Result(
      VideoInfo info,
      long[] pts,
      long[] sourcePts,
      long[] durations,
      boolean[] keyframes,
      boolean exactTimestamps,
      long formatStartMicros,
      int movedTimestamps) {}

  /**
   * @param localPath a local file FFmpeg can open
   * @param name how to name the input in error messages (its original path or URL)
   */
  public static Result probe(String localPath, String name) throws VideoException {
    Ff.init();
    File file = new File(localPath);
    if (!file.isFile()) {
      throw new VideoException(name + ": not a file");
    }
    if (file.length() == 0) {
      throw new VideoException(name + ": empty file (0 bytes), not a video");
    }
    AVFormatContext fmt = new AVFormatContext(null);
    int ret = avformat_open_input(fmt, localPath, null, (AVDictionary) null);
    if (ret < 0) {
      throw new VideoException(name + ": not a readable video (" + Ff.err(ret) + ")");
    }
    AVPacket pkt = av_packet_alloc();
    try {
      ret = avformat_find_stream_info(fmt, (AVDictionary) null);
      if (ret < 0) {
        throw new VideoException(name + ": cannot read stream info (" + Ff.err(ret) + ")");
      }
      int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (v < 0) {
        throw new VideoException(name + ": no video stream");
      }
      AVStream st = fmt.streams(v);
      AVCodecParameters par = st.codecpar();
      if (par.width() <= 0 || par.height() <= 0) {
        throw new VideoException(name + ": video stream has no picture size (corrupt?)");
      }
      if (par.width() % 2 != 0 || par.height() % 2 != 0) {
        // Refused here, before any decoding: the frame path is 4:2:0 throughout (a chroma sample
        // covers 2x2 pixels) and so is H.264 as every player plays it, whose SPS crop also
        // counts in 2-pixel steps for 4:2:0 (FFmpeg's h264_metadata: "crop_right: must be a
        // multiple of 2"): an odd size cannot come out. Copying such frames as 4:2:0 overran
        // the buffer and aborted the JVM ("malloc(): corrupted top size").
        int w = par.width() & ~1;
        int h = par.height() & ~1;
        throw new VideoException(
            name
                + ": odd picture size "
                + par.width()
                + "x"
                + par.height()
                + " (4:2:0 H.264 stores only even sizes)"
                + (w < 2 || h < 2
                    ? ""
                    : "; crop it to "
                        + w
                        + "x"
                        + h
                        + " first, e.g. ffmpeg -i IN -vf crop="
                        + w
                        + ":"
                        + h
                        + ":0:0 OUT"));
      }
      int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
      String audioCodec =
          a >= 0 ? avcodec_get_name(fmt.streams(a).codecpar().codec_id()).getString() : null;

      List<long[]> frames = new ArrayList<>(); // {pts, duration, key}
      boolean exact = true;
      long previous = 0;
      while (true) {
        ret = av_read_frame(fmt, pkt);
        if (ret == AVERROR_EOF) {
          break;
        }
        if (ret < 0) {
          throw new VideoException(name + ": corrupt or truncated (" + Ff.err(ret) + ")");
        }
        if (pkt.stream_index() == v && pkt.size() > 0 && (pkt.flags() & AV_PKT_FLAG_DISCARD) == 0) {
          long ts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
          if (pkt.pts() == AV_NOPTS_VALUE) {
            exact = false;
          }
          if (ts == AV_NOPTS_VALUE) {
            ts = previous; // no timestamp at all: keep its place, the repair below moves it on
          }
          previous = ts;
          frames.add(new long[] {ts, pkt.duration(), (pkt.flags() & AV_PKT_FLAG_KEY) != 0 ? 1 : 0});
        }
        av_packet_unref(pkt);
      }
      if (frames.isEmpty()) {
        throw new VideoException(name + ": video stream has no frames");
      }
      // Stable: frames sharing a timestamp stay in decoding order, the order they come out in.
      frames.sort((x, y) -> Long.compare(x[0], y[0]));
      int n = frames.size();
      long[] source = new long[n];
      boolean[] key = new boolean[n];
      for (int i = 0; i < n; i++) {
        source[i] = frames.get(i)[0];
        key[i] = frames.get(i)[2] == 1;
      }
      long[] pts = Timestamps.strictlyIncreasing(source);
      // A frame lasts until the next one; the last keeps the container's duration for it.
      long[] dur = new long[n];
      for (int i = 0; i < n; i++) {
        dur[i] = i + 1 < n ? pts[i + 1] - pts[i] : Math.max(1, frames.get(i)[1]);
      }
      if (n > 1 && frames.get(n - 1)[1] <= 0) {
        dur[n - 1] = dur[n - 2];
      }
      double tb = (double) st.time_base().num() / st.time_base().den();
      long start = fmt.start_time() == AV_NOPTS_VALUE ? 0 : fmt.start_time();
      String truncation =
          Truncation.check(
              fmt,
              st,
              n,
              (pts[n - 1] + dur[n - 1]) * tb - start / 1e6,
              dur[n - 1] * tb,
              file.length());
      VideoInfo info =
          new VideoInfo(
              name,
              par.width(),
              par.height(),
              st.time_base().num(),
              st.time_base().den(),
              st.r_frame_rate().num(),
              st.r_frame_rate().den(),
              st.avg_frame_rate().num(),
              st.avg_frame_rate().den(),
              rotation(par),
              n,
              a >= 0,
              audioCodec,
              truncation);
      return new Result(info, pts, source, dur, key, exact, start, Timestamps.moved(source, pts));
    } finally {
      av_packet_free(pkt);
      avformat_close_input(fmt);
    }
  }

  private static double rotation(AVCodecParameters par) {
    AVPacketSideData sd =
        av_packet_side_data_get(
            par.coded_side_data(), par.nb_coded_side_data(), avcodec.AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull() || sd.size() < 36) {
      return 0;
    }
    double r = av_display_rotation_get(new IntPointer(sd.data()));
    return Double.isNaN(r) ? 0 : r;
  }

  static long[] copy(long[] a, int from, int to) {
    return Arrays.copyOfRange(a, from, to);
  }
}
