package org.mosaicbeam.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_plane;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A YUV 4:2:0 picture in one {@link Mat}: {@code height * 3 / 2} rows of {@code width} bytes, the Y
 * plane followed by the U and V planes (each a quarter of it). Frames stay in the codecs' own
 * format between decoder and encoder: converting a 1080p frame to BGR and back costs more CPU than
 * masking it, and BGR is twice the memory.
 */
public final class I420 {
  private I420() {}

  /**
   * Copies the three planes of a decoded YUV420P frame into a new compact picture. Refuses any
   * other frame: a copy with the wrong plane sizes writes past the picture's end in native memory
   * (an odd-sized frame aborted the JVM this way).
   */
  public static Mat copyOf(AVFrame yuv, int width, int height) {
    if (yuv == null
        || yuv.isNull()
        || yuv.format() != AV_PIX_FMT_YUV420P
        || yuv.width() != width
        || yuv.height() != height
        || width <= 0
        || height <= 0
        || width % 2 != 0
        || height % 2 != 0) {
      throw new IllegalArgumentException(
          "not a "
              + width
              + "x"
              + height
              + " (even) YUV420P frame: "
              + (yuv == null || yuv.isNull()
                  ? "none"
                  : yuv.width() + "x" + yuv.height() + " format " + yuv.format()));
    }
    Mat out = new Mat(height * 3 / 2, width, CV_8UC1);
    for (int p = 0; p < 3; p++) {
      int w = p == 0 ? width : width / 2;
      int h = p == 0 ? height : height / 2;
      try (BytePointer dst = planeStart(out, p, width, height)) {
        av_image_copy_plane(dst, w, yuv.data(p), yuv.linesize(p), w, h);
      }
    }
    return out;
  }

  /** Copies the picture's planes into {@code yuv} (a writable YUV420P frame of the same size). */
  public static void copyTo(Mat i420, int width, int height, AVFrame yuv) {
    for (int p = 0; p < 3; p++) {
      int w = p == 0 ? width : width / 2;
      int h = p == 0 ? height : height / 2;
      try (BytePointer src = planeStart(i420, p, width, height)) {
        av_image_copy_plane(yuv.data(p), yuv.linesize(p), src, w, w, h);
      }
    }
  }

  /** Plane 0 (Y, full size), 1 (U) or 2 (V, half width and height) as a view; no copy. */
  public static Mat plane(Mat i420, int p, int width, int height) {
    int w = p == 0 ? width : width / 2;
    int h = p == 0 ? height : height / 2;
    return new Mat(h, w, CV_8UC1, planeStart(i420, p, width, height), w);
  }

  /** The picture as 8-bit BGR (what the detectors take). */
  public static Mat toBgr(Mat i420) {
    Mat bgr = new Mat();
    cvtColor(i420, bgr, COLOR_YUV2BGR_I420);
    return bgr;
  }

  private static BytePointer planeStart(Mat i420, int p, int width, int height) {
    long luma = (long) width * height;
    long offset = p == 0 ? 0 : p == 1 ? luma : luma + luma / 4;
    return new BytePointer(i420.data()).position(offset);
  }
}
