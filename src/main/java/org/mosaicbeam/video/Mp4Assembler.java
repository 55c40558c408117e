package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_new;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes the final MP4: the encoded segments' packets in order (no re-encoding) plus the source's
 * audio, copied bit-exact when players support its codec in MP4 and re-encoded to AAC otherwise,
 * merged by timestamp. Rotation (display matrix) and sample aspect ratio are carried over;
 * container metadata (GPS location, device names) deliberately is not.
 */
public final class Mp4Assembler {
  private Mp4Assembler() {}

  /**
   * Audio codecs copied as is. FFmpeg can also put e.g. PCM or FLAC into MP4, but common players
   * cannot play those there, so they are re-encoded to AAC.
   */
  static final java.util.Set<String> COPYABLE_AUDIO =
      java.util.Set.of("aac", "mp3", "ac3", "eac3", "opus", "alac");

  /** Opens one segment's packet stream; segments are read one at a time, in order. */
  @FunctionalInterface
  public interface SegmentSource {
    InputStream open() throws IOException;
  }

  /** What was written. */
  public record Result(long videoPackets, long audioPackets, String audio) {}

  public static Result assemble(
      String sourceLocal,
      VideoInfo info,
      List<SegmentSource> segments,
      boolean keepAudio,
      String outputLocal)
      throws Exception {
    Ff.init();
    AVFormatContext src = new AVFormatContext(null);
    Ff.check(avformat_open_input(src, sourceLocal, null, (AVDictionary) null), info.path());
    File aacTemp = null;
    AVFormatContext audioCtx = null;
    AVFormatContext oc = new AVFormatContext(null);
    AVPacket pkt = av_packet_alloc();
    boolean headerWritten = false;
    try {
      Ff.check(avformat_find_stream_info(src, (AVDictionary) null), info.path());
      int srcVideo = av_find_best_stream(src, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      Ff.check(avformat_alloc_output_context2(oc, null, "mp4", outputLocal), "mp4 muxer");

      DataInputStream seg = open(segments.get(0));
      SegmentStream.Header header = SegmentStream.readHeader(seg);
      AVStream vs = avformat_new_stream(oc, null);
      AVRational srcTb = av_make_q(info.timeBaseNum(), info.timeBaseDen());
      setVideoParameters(vs, header, info, src.streams(srcVideo));

      // Audio: copy when MP4 accepts the codec, else AAC in a temporary file, then copy that.
      String audioMode = "none";
      int audioIndex = -1;
      AVStream as = null;
      if (keepAudio && info.hasAudio()) {
        int a = av_find_best_stream(src, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
        if (COPYABLE_AUDIO.contains(info.audioCodec())
            && avformat_query_codec(oc.oformat(), src.streams(a).codecpar().codec_id(), 0) == 1) {
          audioCtx = src;
          audioIndex = a;
          audioMode = "copy " + info.audioCodec();
        } else {
          // next to the output (the run's work folder), not in /tmp: a killed run leaves it there
          aacTemp =
              File.createTempFile(
                  ".audio-", ".m4a", new File(outputLocal).getAbsoluteFile().getParentFile());
          transcodeAudioToAac(sourceLocal, aacTemp.getPath());
          audioCtx = new AVFormatContext(null);
          Ff.check(
              avformat_open_input(audioCtx, aacTemp.getPath(), null, (AVDictionary) null),
              "aac temp");
          Ff.check(avformat_find_stream_info(audioCtx, (AVDictionary) null), "aac temp");
          audioIndex = av_find_best_stream(audioCtx, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
          audioMode = "aac (from " + info.audioCodec() + ")";
        }
        as = avformat_new_stream(oc, null);
        Ff.check(
            avcodec_parameters_copy(as.codecpar(), audioCtx.streams(audioIndex).codecpar()),
            "audio parameters");
        as.codecpar().codec_tag(0);
        as.time_base(audioCtx.streams(audioIndex).time_base());
      }

      AVIOContext pb = new AVIOContext(null);
      Ff.check(avio_open(pb, outputLocal, AVIO_FLAG_WRITE), "open " + outputLocal);
      oc.pb(pb);
      Ff.check(avformat_write_header(oc, (AVDictionary) null), "write mp4 header");
      headerWritten = true;

      AVRational audioTb = as == null ? null : audioCtx.streams(audioIndex).time_base();
      AVPacket audio = as == null ? null : nextAudio(audioCtx, audioIndex, pkt);
      long videoCount = 0;
      long audioCount = 0;
      int segIndex = 0;
      SegmentStream.Packet video = SegmentStream.readPacket(seg);
      while (true) {
        while (video == null && seg != null) { // this segment is done: on to the next
          seg.close();
          seg = null;
          if (++segIndex < segments.size()) {
            seg = open(segments.get(segIndex));
            SegmentStream.Header h = SegmentStream.readHeader(seg);
            if (!Arrays.equals(h.extradata(), header.extradata())) {
              throw new VideoException("segment " + segIndex + " was encoded differently");
            }
            video = SegmentStream.readPacket(seg);
          }
        }
        boolean takeAudio =
            audio != null
                && (video == null || av_compare_ts(audio.dts(), audioTb, video.dts(), srcTb) < 0);
        if (takeAudio) {
          audio.stream_index(as.index());
          av_packet_rescale_ts(audio, audioTb, as.time_base());
          Ff.check(av_interleaved_write_frame(oc, audio), "write audio");
          audioCount++;
          audio = nextAudio(audioCtx, audioIndex, pkt);
        } else if (video != null) {
          writeVideo(oc, vs, srcTb, video);
          videoCount++;
          video = SegmentStream.readPacket(seg);
        } else {
          break;
        }
      }
      Ff.check(av_write_trailer(oc), "finish mp4");
      return new Result(videoCount, audioCount, audioMode);
    } finally {
      av_packet_free(pkt);
      if (oc.pb() != null && !oc.pb().isNull()) {
        avio_closep(oc.pb());
      }
      avformat_free_context(oc);
      if (audioCtx != null && audioCtx != src) {
        avformat_close_input(audioCtx);
      }
      avformat_close_input(src);
      if (aacTemp != null) {
        aacTemp.delete();
      }
    }
  }

  private static DataInputStream open(SegmentSource s) throws IOException {
    return new DataInputStream(new BufferedInputStream(s.open(), 1 << 20));
  }

  private static void setVideoParameters(
      AVStream vs, SegmentStream.Header h, VideoInfo info, AVStream srcStream) {
    AVCodecParameters p = vs.codecpar();
    p.codec_type(AVMEDIA_TYPE_VIDEO);
    p.codec_id(AV_CODEC_ID_H264);
    p.width(h.width());
    p.height(h.height());
    p.format(AV_PIX_FMT_YUV420P);
    p.profile(h.profile());
    p.level(h.level());
    byte[] extra = h.extradata();
    BytePointer ex = new BytePointer(av_mallocz(extra.length + AV_INPUT_BUFFER_PADDING_SIZE));
    ex.capacity(extra.length + AV_INPUT_BUFFER_PADDING_SIZE).put(extra);
    p.extradata(ex);
    p.extradata_size(extra.length);
    AVCodecParameters sp = srcStream.codecpar();
    p.sample_aspect_ratio(sp.sample_aspect_ratio());
    vs.time_base(av_make_q(info.timeBaseNum(), info.timeBaseDen()));
    if (info.avgFrameRateNum() > 0 && info.avgFrameRateDen() > 0) {
      vs.avg_frame_rate(av_make_q(info.avgFrameRateNum(), info.avgFrameRateDen()));
    }
    if (info.frameRateNum() > 0 && info.frameRateDen() > 0) {
      vs.r_frame_rate(av_make_q(info.frameRateNum(), info.frameRateDen()));
    }
    // Phone rotation lives in the display matrix side data: copy it as is.
    AVPacketSideData sd =
        av_packet_side_data_get(
            sp.coded_side_data(), sp.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    if (sd != null && !sd.isNull() && sd.size() > 0) {
      byte[] matrix = new byte[(int) sd.size()];
      sd.data().capacity(sd.size()).get(matrix);
      try (PointerPointer<AVPacketSideData> list = new PointerPointer<>(1);
          IntPointer count = new IntPointer(1)) {
        list.put(0, p.coded_side_data());
        count.put(p.nb_coded_side_data());
        AVPacketSideData added =
            av_packet_side_data_new(list, count, AV_PKT_DATA_DISPLAYMATRIX, matrix.length, 0);
        if (added != null && !added.isNull()) {
          added.data().capacity(matrix.length).put(matrix);
          p.coded_side_data(new AVPacketSideData(list.get(0)));
          p.nb_coded_side_data(count.get());
        }
      }
    }
  }

  private static void writeVideo(
      AVFormatContext oc, AVStream vs, AVRational srcTb, SegmentStream.Packet v)
      throws VideoException {
    AVPacket p = av_packet_alloc();
    try {
      Ff.check(av_new_packet(p, v.data().length), "packet");
      p.data().capacity(v.data().length).put(v.data());
      p.pts(v.pts());
      p.dts(v.dts());
      p.duration(v.duration());
      p.flags(v.key() ? AV_PKT_FLAG_KEY : 0);
      p.stream_index(vs.index());
      av_packet_rescale_ts(p, srcTb, vs.time_base());
      Ff.check(av_interleaved_write_frame(oc, p), "write video");
    } finally {
      av_packet_free(p);
    }
  }

  private static AVPacket nextAudio(AVFormatContext ctx, int index, AVPacket pkt)
      throws VideoException {
    while (true) {
      av_packet_unref(pkt);
      int ret = av_read_frame(ctx, pkt);
      if (ret == AVERROR_EOF) {
        return null;
      }
      Ff.check(ret, "read audio");
      if (pkt.stream_index() == index) {
        return pkt;
      }
    }
  }

  /** Re-encodes the source's audio to AAC (for codecs MP4 cannot carry, e.g. PCM in .mov/.avi). */
  private static void transcodeAudioToAac(String source, String target) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source)) {
      g.start();
      try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(target, g.getAudioChannels())) {
        r.setFormat("mp4");
        r.setAudioCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC);
        r.setSampleRate(g.getSampleRate());
        r.setAudioBitrate(192_000);
        r.start();
        Frame f;
        while ((f = g.grabSamples()) != null) {
          r.record(f);
        }
        r.stop();
      }
      g.stop();
    }
  }
}
