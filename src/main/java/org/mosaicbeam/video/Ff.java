package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** Small helpers around FFmpeg's C API: error text and log level. */
public final class Ff {
  private Ff() {}

  /** Set by the launcher for {@code --verbose}: FFmpeg's (and libopenh264's) own log is shown. */
  public static final String VERBOSE_PROPERTY = "mosaicbeam.verbose";

  static {
    // FFmpeg's own warnings ("co located POCs unavailable", ...), its "Output #0" stream dump and
    // libopenh264's warnings (logged through FFmpeg) are noise for users; errors stay.
    avutil.av_log_set_level(
        Boolean.getBoolean(VERBOSE_PROPERTY) ? avutil.AV_LOG_INFO : avutil.AV_LOG_ERROR);
  }

  /** Sets FFmpeg's log level before first use; call it before any JavaCV grabber or recorder. */
  public static void init() {}

  static String err(int code) {
    try (BytePointer buf = new BytePointer(256)) {
      av_strerror(code, buf, 256);
      // getString() reads the whole 256-byte buffer; the message ends at the first NUL.
      String text = buf.getString();
      int end = text.indexOf('\0');
      return (end >= 0 ? text.substring(0, end) : text) + " (" + code + ")";
    }
  }

  static void check(int ret, String what) throws VideoException {
    if (ret < 0) {
      throw new VideoException(what + ": " + err(ret));
    }
  }
}
