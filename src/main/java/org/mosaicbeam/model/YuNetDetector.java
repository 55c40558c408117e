package org.mosaicbeam.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * YuNet (libfacedetection, OpenCV's {@code FaceDetectorYN}) through ONNX Runtime: an anchor-free
 * detector over strides 8, 16 and 32 that finds faces from about 10 px of its input upwards. The
 * input is the frame at {@code scale}, BGR 0-255, padded to multiples of 32; per grid cell the
 * model gives a class score, an objectness score and a box relative to the cell (decoding as
 * OpenCV's for the 2023 export: score = sqrt(cls · obj), centre = (cell + offset) · stride, size =
 * e^d · stride). Landmarks are not used.
 */
public final class YuNetDetector implements Detector {
  /** The model shipped in {@code models/} (on the classpath), see {@code models/yunet.md}. */
  public static final String SHIPPED = "models/yunet_n_dynamic.onnx";

  private static final int[] STRIDES = {8, 16, 32};
  private static final double NMS_IOU = 0.3;

  private final float minScore;
  private final double scale;
  private final int maxSide;
  private final SizedModels sessions;

  /**
   * @param scale the frame is searched at this scale of its size (faces down to ~10/scale px)
   * @param maxSide but its longer side at no more than this many pixels (4K costs 4× 1080p)
   */
  public YuNetDetector(byte[] onnx, float minScore, double scale, int maxSide) throws Exception {
    this.minScore = minScore;
    this.scale = scale;
    this.maxSide = maxSide;
    this.sessions = SizedModels.bgrPlanes(onnx);
    sessions.get(64, 64); // a file that is not a YuNet model fails here, not on a frame
  }

  /** The shipped model. */
  public static YuNetDetector shipped(float minScore, double scale, int maxSide) throws Exception {
    try (InputStream in = YuNetDetector.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IOException(SHIPPED + " is not on the classpath");
      }
      return new YuNetDetector(in.readAllBytes(), minScore, scale, maxSide);
    }
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    int w = bgr.cols();
    int h = bgr.rows();
    double s = Math.min(scale, (double) maxSide / Math.max(w, h));
    SizedModels.Sized sized = sessions.scaled(w, h, s);
    ModelInput input = sized.input();
    ModelInput.Letterbox lb = input.fill(bgr, 1, 0, 0);
    List<Detection> out = new ArrayList<>();
    float minProduct = minScore * minScore; // sqrt(cls · obj) >= min, without a sqrt per cell
    try (OrtSession.Result r = sized.model().run(input.buffer(), input.shape())) {
      for (int stride : STRIDES) {
        float[] cls = floats(r, "cls_" + stride);
        float[] obj = floats(r, "obj_" + stride);
        float[] box = floats(r, "bbox_" + stride);
        int cols = input.width() / stride;
        int cells = cols * (input.height() / stride);
        if (cls.length != cells || obj.length != cells || box.length != 4 * cells) {
          throw new IllegalStateException(
              "YuNet: " + cls.length + " scores at stride " + stride + " for " + cells + " cells");
        }
        for (int i = 0; i < cells; i++) {
          float product = clamp01(cls[i]) * clamp01(obj[i]);
          if (product < minProduct) {
            continue;
          }
          double cx = (i % cols + box[4 * i]) * stride;
          double cy = (i / cols + box[4 * i + 1]) * stride;
          double bw = Math.exp(box[4 * i + 2]) * stride;
          double bh = Math.exp(box[4 * i + 3]) * stride;
          Detection d =
              lb.centred(Detection.FACE, (float) Math.sqrt(product), cx, cy, bw, bh, w, h);
          if (d != null) {
            out.add(d);
          }
        }
      }
    }
    return Boxes.nms(out, NMS_IOU);
  }

  private static float clamp01(float v) {
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }

  private static float[] floats(OrtSession.Result r, String name) throws Exception {
    var v =
        r.get(name)
            .orElseThrow(() -> new IllegalStateException("YuNet output " + name + " missing"));
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  @Override
  public void close() {
    sessions.close();
  }
}
