package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decides whether a plate candidate is a plate: a small convolutional network (four 3×3 convolution
 * blocks, about 60 k weights) that looks at the candidate with some of its surroundings ({@link
 * #crop}), trained by {@code mosaicbeam train-plates} on plates of many countries (see {@code
 * models/plate-verifier.md} for how the shipped model was made). All candidates of a frame are
 * scored in one run. Its score is the network's probability that the crop is a plate.
 */
public final class PlateVerifier implements AutoCloseable {
  /** The model the project ships, on the classpath (from {@code models/}). */
  public static final String SHIPPED = "models/plate-verifier.onnx";

  /** The crop the network sees: BGR, this many pixels high and wide. */
  public static final int CROP_HEIGHT = 32;

  public static final int CROP_WIDTH = 80;

  private static final int PLANE = CROP_HEIGHT * CROP_WIDTH;

  private final OnnxModel model;
  private final Mat crop = new Mat();
  private final Mat channel = new Mat();

  private PlateVerifier(OnnxModel model) {
    this.model = model;
  }

  /** A model written by {@code train-plates} (ONNX: crops [N, 3, 32, 80] in, scores [N] out). */
  public static PlateVerifier load(byte[] onnx) throws IOException {
    OnnxModel model;
    try {
      model = new OnnxModel(onnx);
    } catch (OrtException e) {
      throw new IOException("not an ONNX model (" + e.getMessage() + ")", e);
    }
    long[] shape = model.inputShape();
    if (shape.length != 4 || shape[1] != 3 || shape[2] != CROP_HEIGHT || shape[3] != CROP_WIDTH) {
      try {
        model.close();
      } catch (OrtException e) {
        // it is being thrown away
      }
      throw new IOException(
          "not a plate verifier: its input is "
              + Arrays.toString(shape)
              + ", not [N, 3, "
              + CROP_HEIGHT
              + ", "
              + CROP_WIDTH
              + "]");
    }
    return new PlateVerifier(model);
  }

  /** The shipped model. */
  static PlateVerifier shipped() throws IOException {
    try (InputStream in = PlateVerifier.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IOException(SHIPPED + " is not on the classpath");
      }
      return load(in.readAllBytes());
    }
  }

  /**
   * The candidate as the network sees it: the box grown by a quarter of its width left and right
   * and half its height above and below (the plate's border and what it is fixed to), stretched to
   * {@link #CROP_WIDTH}×{@link #CROP_HEIGHT}; outside the image, its edge repeats. Training crops
   * are cut by this same method.
   */
  public static void crop(Mat bgr, Detection box, Mat out) {
    double x0 = box.x() - 0.25 * box.width();
    double y0 = box.y() - 0.5 * box.height();
    double sx = CROP_WIDTH / (1.5 * box.width());
    double sy = CROP_HEIGHT / (2.0 * box.height());
    try (Mat affine = new Mat(2, 3, CV_64F);
        DoubleIndexer m = affine.createIndexer()) {
      m.put(0, 0, sx).put(0, 1, 0).put(0, 2, -x0 * sx);
      m.put(1, 0, 0).put(1, 1, sy).put(1, 2, -y0 * sy);
      warpAffine(
          bgr,
          out,
          affine,
          new Size(CROP_WIDTH, CROP_HEIGHT),
          INTER_LINEAR,
          BORDER_REPLICATE,
          new Scalar());
    }
  }

  /** The scores of {@code boxes} in {@code bgr}, in their order. */
  public float[] score(Mat bgr, List<Detection> boxes) throws Exception {
    float[] out = new float[boxes.size()];
    if (boxes.isEmpty()) {
      return out;
    }
    ByteBuffer bytes =
        ByteBuffer.allocateDirect(boxes.size() * 3 * PLANE * Float.BYTES)
            .order(ByteOrder.nativeOrder());
    for (int i = 0; i < boxes.size(); i++) {
      crop(bgr, boxes.get(i), crop);
      for (int c = 0; c < 3; c++) {
        // each channel goes from 8 bits straight into its plane of the tensor, scaled to [0, 1]
        ByteBuffer plane = bytes.position((i * 3 + c) * PLANE * Float.BYTES).slice();
        try (Mat view = new Mat(CROP_HEIGHT, CROP_WIDTH, CV_32FC1, new BytePointer(plane))) {
          extractChannel(crop, channel, c);
          channel.convertTo(view, CV_32F, 1 / 255.0, 0);
        }
      }
    }
    bytes.position(0);
    FloatBuffer input = bytes.asFloatBuffer();
    long[] shape = {boxes.size(), 3, CROP_HEIGHT, CROP_WIDTH};
    try (OrtSession.Result r = model.run(input, shape)) {
      ((OnnxTensor) r.get(0)).getFloatBuffer().get(out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    model.close();
    crop.close();
    channel.close();
  }
}
