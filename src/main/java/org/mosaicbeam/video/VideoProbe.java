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

  /** Facts plus one entry per frame in presentation order. */
  public record Result(VideoInfo info, long[] pts, long[] durations, boolean[] keyframes,
      boolean exactTimestamps, long formatStartMicros) {}

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
      int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
      String audioCodec =
          a >= 0 ? avcodec_get_name(fmt.streams(a).codecpar().codec_id()).getString() : null;

      List<long[]> frames = new ArrayList<>(); // {pts, duration, key}
      boolean exact = true;
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
          frames.add(new long[] {ts, pkt.duration(), (pkt.flags() & AV_PKT_FLAG_KEY) != 0 ? 1 : 0});
        }
        av_packet_unref(pkt);
      }
      if (frames.isEmpty()) {
        throw new VideoException(name + ": video stream has no frames");
      }
      if (st.nb_frames() > 0 && frames.size() < st.nb_frames()) {
        throw new VideoException(name + ": truncated: its index lists " + st.nb_frames()
            + " frames, only " + frames.size() + " are in the file");
      }
      frames.sort((x, y) -> Long.compare(x[0], y[0]));
      int n = frames.size();
      long[] pts = new long[n];
      long[] dur = new long[n];
      boolean[] key = new boolean[n];
      for (int i = 0; i < n; i++) {
        pts[i] = frames.get(i)[0];
        key[i] = frames.get(i)[2] == 1;
        if (i > 0 && pts[i] == pts[i - 1]) {
          exact = false; // duplicate timestamps: frames cannot be addressed by timestamp
        }
      }
      // A frame lasts until the next one; the last keeps the container's duration for it.
      for (int i = 0; i < n; i++) {
        dur[i] = i + 1 < n ? pts[i + 1] - pts[i] : Math.max(1, frames.get(i)[1]);
      }
      if (n > 1 && frames.get(n - 1)[1] <= 0) {
        dur[n - 1] = dur[n - 2];
      }
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
              audioCodec);
      long start = fmt.start_time() == AV_NOPTS_VALUE ? 0 : fmt.start_time();
      return new Result(info, pts, dur, key, exact, start);
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
