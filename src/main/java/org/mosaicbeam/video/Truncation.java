package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_STREAM;
import static org.bytedeco.ffmpeg.global.avutil.AV_DICT_IGNORE_SUFFIX;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;

import java.util.Locale;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;

/**
 * Whether a file holds less video than its container declares: a copy or download cut short. FFmpeg
 * reads such a file to its end without an error ("File ended prematurely" is only a log line), so a
 * truncated 3.02 s .mkv became a 53-frame video written with exit 0. The declarations checked, all
 * read by demuxing only:
 *
 * <ul>
 *   <li>a frame count: MP4/MOV and AVI indexes, Matroska's NUMBER_OF_FRAMES tag (mkvmerge);
 *   <li>the video track's duration: Matroska's DURATION tag (FFmpeg and mkvmerge write it);
 *   <li>the container's duration when it is declared, not estimated (Matroska's segment duration):
 *       looser, because the audio may outlast the video;
 *   <li>MPEG-TS declares nothing, but it is a sequence of whole 188-byte packets (192 in M2TS, 204
 *       with FEC): a file that ends inside one was cut.
 * </ul>
 */
final class Truncation {
  // Slack for a declared track duration: FFmpeg's and mkvmerge's DURATION tags run to the end of
  // the last frame or a frame or two past it (3.056 s declared for a 3.033 s stream), so only a
  // shortfall of more than half a second (and more than 3 frames) counts.
  private static final double TRACK_SLACK_SECONDS = 0.5;
  // A container duration covers every stream; phone audio outlasts the video by up to ~0.1 s,
  // screen recordings by more.
  private static final double CONTAINER_SLACK_SECONDS = 1.0;

  private Truncation() {}

  /**
   * @param frames video frames read
   * @param endSeconds where the video stream ends (last frame's time plus its duration), on the
   *     container's clock (0 = the container's start)
   * @param frameSeconds a typical frame duration
   * @return why the file is truncated, or null when nothing shows it
   */
  static String check(
      AVFormatContext fmt,
      AVStream st,
      long frames,
      double endSeconds,
      double frameSeconds,
      long fileLength) {
    long declaredFrames = st.nb_frames() > 0 ? st.nb_frames() : tagLong(st, "NUMBER_OF_FRAMES");
    if (declaredFrames > 0) {
      return frames < declaredFrames
          ? "the container declares " + declaredFrames + " video frames, the file holds " + frames
          : null;
    }
    double slack = Math.max(TRACK_SLACK_SECONDS, 3 * frameSeconds);
    double declared = tagSeconds(st, "DURATION");
    if (declared <= 0
        && fmt.duration_estimation_method() == AVFMT_DURATION_FROM_STREAM
        && fmt.duration() != AV_NOPTS_VALUE
        && fmt.duration() > 0) {
      declared = fmt.duration() / 1e6;
      slack = Math.max(CONTAINER_SLACK_SECONDS, slack);
    }
    if (declared > 0 && endSeconds < declared - slack) {
      return String.format(
          Locale.ROOT,
          "the container declares %.2f s, the video stream ends " + "after %.2f s (%d frames)",
          declared,
          endSeconds,
          frames);
    }
    String format = fmt.iformat().name().getString();
    if (format.equals("mpegts")
        && fileLength % 188 != 0
        && fileLength % 192 != 0
        && fileLength % 204 != 0) {
      return "the file ends inside an MPEG-TS packet ("
          + fileLength
          + " bytes is no whole number of 188-byte packets)";
    }
    return null;
  }

  private static String tag(AVStream st, String key) {
    AVDictionaryEntry e = av_dict_get(st.metadata(), key, null, AV_DICT_IGNORE_SUFFIX);
    return e == null || e.isNull() ? null : e.value().getString();
  }

  private static long tagLong(AVStream st, String key) {
    String v = tag(st, key);
    try {
      return v == null ? 0 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** "HH:MM:SS.fffffffff" (Matroska tags) in seconds; 0 when absent or unreadable. */
  static double tagSeconds(AVStream st, String key) {
    return hms(tag(st, key));
  }

  static double hms(String v) {
    if (v == null) {
      return 0;
    }
    String[] parts = v.trim().split(":");
    try {
      double s = 0;
      for (String p : parts) {
        s = s * 60 + Double.parseDouble(p);
      }
      return s;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
