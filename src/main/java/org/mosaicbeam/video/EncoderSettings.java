package org.mosaicbeam.video;

import java.io.Serializable;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * H.264 encoder choice. {@code auto} takes libx264 when the FFmpeg build has it (bytedeco's GPL
 * build) and libopenh264 otherwise (the LGPL build this project ships).
 *
 * @param crf libx264 constant quality (lower = better); ignored by libopenh264
 * @param bitsPerPixel libopenh264 target bit rate per pixel per frame (it has no CRF mode)
 */
public record EncoderSettings(String encoder, String preset, int crf, double bitsPerPixel)
    implements Serializable {

  /** The FFmpeg encoder name actually used. */
  public String resolvedEncoder() throws VideoException {
    Ff.init();
    String name = encoder;
    if (name == null || name.isEmpty() || name.equals("auto")) {
      name = avcodec.avcodec_find_encoder_by_name("libx264") != null ? "libx264" : "libopenh264";
    }
    if (avcodec.avcodec_find_encoder_by_name(name) == null) {
      throw new VideoException("H.264 encoder " + name + " is not in this FFmpeg build");
    }
    return name;
  }
}
