package org.mosaicbeam.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.File;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A user-supplied YOLO-style ONNX detector (see README): input {@code [1,3,H,W]} RGB in [0,1],
 * letterboxed with grey 114; output {@code [1,N,5+C]} (YOLOv5: cx, cy, w, h, objectness, class
 * scores) or {@code [1,4+C,N]} (YOLOv8: cx, cy, w, h, class scores), in input pixels. Every box
 * gets this detector's label; the score is the best class score (times objectness).
 */
public final class YoloOnnxDetector implements Detector {
  private static final double NMS_IOU = 0.45;

  private final OnnxModel model;
  private final int width;
  private final int height;
  private final String label;
  private final float minScore;
  private final ModelInput input;

  public YoloOnnxDetector(File model, String label, float minScore) throws Exception {
    this.model = new OnnxModel(model);
    long[] shape = this.model.inputShape();
    if (shape.length != 4 || shape[1] != 3) {
      this.model.close();
      throw new IllegalArgumentException(
          model + ": expected an input [1,3,H,W], got " + java.util.Arrays.toString(shape));
    }
    height = shape[2] > 0 ? (int) shape[2] : 640;
    width = shape[3] > 0 ? (int) shape[3] : 640;
    this.label = label;
    this.minScore = minScore;
    input = new ModelInput(width, height, true);
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    ModelInput.Letterbox lb = input.fill(bgr, 1 / 255.0, 0, 114);
    List<Detection> out = new ArrayList<>();
    try (OrtSession.Result r = model.run(input.buffer(), input.shape())) {
      OnnxTensor o = (OnnxTensor) r.get(0);
      long[] shape = o.getInfo().getShape();
      if (shape.length != 3) {
        throw new IllegalStateException(
            "YOLO output must be [1,N,5+C] or [1,4+C,N], got " + java.util.Arrays.toString(shape));
      }
      FloatBuffer fb = o.getFloatBuffer();
      float[] v = new float[fb.remaining()];
      fb.get(v);
      boolean rowsFirst = shape[1] > shape[2]; // [1,N,5+C] (v5) vs [1,4+C,N] (v8)
      int n = (int) (rowsFirst ? shape[1] : shape[2]);
      int attrs = (int) (rowsFirst ? shape[2] : shape[1]);
      for (int i = 0; i < n; i++) {
        final int row = i;
        java.util.function.IntToDoubleFunction at =
            a -> rowsFirst ? v[row * attrs + a] : v[a * n + row];
        double score;
        if (rowsFirst) {
          double best = attrs > 5 ? 0 : 1;
          for (int c = 5; c < attrs; c++) {
            best = Math.max(best, at.applyAsDouble(c));
          }
          score = at.applyAsDouble(4) * best;
        } else {
          score = 0;
          for (int c = 4; c < attrs; c++) {
            score = Math.max(score, at.applyAsDouble(c));
          }
        }
        if (score < minScore) {
          continue;
        }
        double cx = at.applyAsDouble(0);
        double cy = at.applyAsDouble(1);
        double w = at.applyAsDouble(2);
        double h = at.applyAsDouble(3);
        Detection d = lb.centred(label, (float) score, cx, cy, w, h, bgr.cols(), bgr.rows());
        if (d != null) {
          out.add(d);
        }
      }
    }
    return Boxes.nms(out, NMS_IOU);
  }

  @Override
  public void close() throws Exception {
    model.close();
    input.close();
  }
}
