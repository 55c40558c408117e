package org.mosaicbeam.model.rekognition;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A frame as the JPEG bytes sent to Rekognition. Rekognition takes image bytes below 4 MB (Custom
 * Labels; 5 MB for DetectFaces) and at least 80 px per side, so large frames are downscaled until
 * they fit. Rekognition answers in fractions of the image size, which map back to the original
 * frame unchanged because the scaling keeps the aspect ratio.
 */
record JpegFrame(byte[] bytes, int width, int height) {
  /** Strictly below Rekognition's 4.0 MB image-bytes limit. */
  static final int MAX_BYTES = 4_000_000;

  static final int MIN_SIDE = 80;

  static JpegFrame encode(Mat bgr, int maxSide, int quality) throws IOException {
    return encode(bgr, maxSide, quality, MAX_BYTES);
  }

  static JpegFrame encode(Mat bgr, int maxSide, int quality, int maxBytes) throws IOException {
    if (bgr == null || bgr.empty() || bgr.channels() != 3) {
      throw new IOException("expected a non-empty 3-channel BGR frame");
    }
    int w = bgr.cols();
    int h = bgr.rows();
    double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
    while (true) {
      int sw = Math.max(1, (int) Math.round(w * scale));
      int sh = Math.max(1, (int) Math.round(h * scale));
      if (Math.min(sw, sh) < MIN_SIDE && scale < 1.0) {
        throw new IOException(
            "frame " + w + "x" + h + " cannot be made smaller than " + maxBytes + " bytes");
      }
      byte[] bytes = jpeg(bgr, sw, sh, quality);
      if (bytes.length < maxBytes) {
        return new JpegFrame(bytes, sw, sh);
      }
      scale *= 0.75;
    }
  }

  private static byte[] jpeg(Mat bgr, int width, int height, int quality) throws IOException {
    Mat image = bgr;
    Mat scaled = null;
    if (width != bgr.cols() || height != bgr.rows()) {
      scaled = new Mat();
      resize(bgr, scaled, new Size(width, height), 0, 0, INTER_AREA);
      image = scaled;
    }
    try (BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
      if (!imencode(".jpg", image, buf, params)) {
        throw new IOException("JPEG encoding of the frame failed");
      }
      byte[] bytes = new byte[(int) buf.limit()];
      buf.get(bytes);
      return bytes;
    } finally {
      if (scaled != null) {
        scaled.close();
      }
    }
  }
}
