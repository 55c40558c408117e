package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A model's float input tensor, refilled for every image: letterboxed (aspect ratio kept) RGB or
 * BGR, values {@code v*mul+add}, as NHWC (interleaved) or NCHW (planar). The buffer is direct, so
 * ONNX Runtime reads it in place, and OpenCV writes the floats straight into it; the scratch images
 * are reused. Allocating them per call (nine tiles per 1080p frame) cost more CPU in page faults
 * and zeroing than the model itself. Not thread-safe: one per detector.
 */
final class ModelInput implements AutoCloseable {

  /** How a letterboxed input maps back to the source image. */
  record Letterbox(double scale, int padX, int padY) {
    double toSourceX(double x) {
      return (x - padX) / scale;
    }

    double toSourceY(double y) {
      return (y - padY) / scale;
    }

    /**
     * The box centred at ({@code cx}, {@code cy}) of {@code w}×{@code h} input pixels, in the
     * pixels of a {@code sourceWidth}×{@code sourceHeight} source, clamped to it (null: outside).
     */
    Detection centred(
        String label,
        float score,
        double cx,
        double cy,
        double w,
        double h,
        int sourceWidth,
        int sourceHeight) {
      return Boxes.of(
          label,
          score,
          toSourceX(cx - w / 2),
          toSourceY(cy - h / 2),
          toSourceX(cx + w / 2),
          toSourceY(cy + h / 2),
          sourceWidth,
          sourceHeight);
    }
  }

  private final int width;
  private final int height;
  private final FloatBuffer buffer;
  private final long[] shape;
  private final boolean rgb;
  // NHWC: one 3-channel image over the buffer; NCHW: one plane per channel
  private final Mat[] views;
  private final Mat resized = new Mat();
  private final Mat boxed = new Mat();
  private final Mat swapped = new Mat();
  private final Mat floats = new Mat();
  private final Mat channel = new Mat();

  ModelInput(int width, int height, boolean nchw) {
    this(width, height, nchw, true);
  }

  /**
   * @param rgb whether {@link #fill} hands the model RGB (most models) or BGR as decoded (YuNet)
   */
  ModelInput(int width, int height, boolean nchw, boolean rgb) {
    this.width = width;
    this.rgb = rgb;
    this.height = height;
    int planeBytes = width * height * Float.BYTES;
    ByteBuffer bytes = ByteBuffer.allocateDirect(planeBytes * 3).order(ByteOrder.nativeOrder());
    buffer = bytes.asFloatBuffer();
    shape = nchw ? new long[] {1, 3, height, width} : new long[] {1, height, width, 3};
    if (nchw) {
      views = new Mat[3];
      for (int c = 0; c < 3; c++) {
        // a slice per plane: each view starts at its own address (no pointer offsets to get wrong)
        ByteBuffer plane = bytes.position(c * planeBytes).slice();
        views[c] = new Mat(height, width, CV_32FC1, new BytePointer(plane));
      }
      bytes.position(0);
    } else {
      views = new Mat[] {new Mat(height, width, CV_32FC3, new BytePointer(bytes))};
    }
  }

  /** The tensor's data (position 0, the whole tensor). */
  FloatBuffer buffer() {
    return buffer;
  }

  long[] shape() {
    return shape.clone();
  }

  /** Letterboxes {@code bgr} into the tensor, padding with {@code padValue}. */
  Letterbox fill(Mat bgr, double mul, double add, double padValue) {
    double scale = Math.min((double) width / bgr.cols(), (double) height / bgr.rows());
    int rw = Math.max(1, (int) Math.round(bgr.cols() * scale));
    int rh = Math.max(1, (int) Math.round(bgr.rows() * scale));
    int padX = (width - rw) / 2;
    int padY = (height - rh) / 2;
    resize(bgr, resized, new Size(rw, rh), 0, 0, INTER_LINEAR);
    copyMakeBorder(
        resized,
        boxed,
        padY,
        height - rh - padY,
        padX,
        width - rw - padX,
        BORDER_CONSTANT,
        new Scalar(padValue, padValue, padValue, 0));
    Mat ordered = boxed;
    if (rgb) {
      cvtColor(boxed, swapped, COLOR_BGR2RGB);
      ordered = swapped;
    }
    if (views.length == 1) {
      ordered.convertTo(views[0], CV_32F, mul, add); // same size and type: written in place
    } else {
      ordered.convertTo(floats, CV_32F, mul, add);
      for (int c = 0; c < 3; c++) {
        extractChannel(floats, views[c], c);
      }
    }
    return new Letterbox(scale, padX, padY);
  }

  /**
   * Resizes {@code bgr} to the tensor's size (aspect ratio not kept: the caller maps boxes back per
   * axis) and writes channel c, in BGR order, as {@code v*mul[c]+add[c]}. NCHW only: each channel
   * goes from 8 bits straight into its plane of the tensor.
   */
  void fillStretched(Mat bgr, double[] mul, double[] add) {
    if (views.length != 3) {
      throw new IllegalStateException("fillStretched needs an NCHW tensor");
    }
    resize(bgr, resized, new Size(width, height), 0, 0, INTER_LINEAR);
    for (int c = 0; c < 3; c++) {
      extractChannel(resized, channel, c);
      channel.convertTo(views[c], CV_32F, mul[c], add[c]);
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  @Override
  public void close() {
    for (Mat m : views) {
      m.close();
    }
    resized.close();
    boxed.close();
    swapped.close();
    floats.close();
    channel.close();
  }
}
