package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** Small helpers around FFmpeg's C API: error text and log level. */
final class Ff {
  private Ff() {}

  static {
    // FFmpeg's own warnings ("co located POCs unavailable", ...) are noise for users; errors stay.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  static void init() {}

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
