package org.mosaicbeam.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.File;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * MediaPipe BlazeFace (back-camera, 256×256 input) through ONNX Runtime. The model predicts
 * offsets from 896 fixed anchors (16×16 cells × 2 + 8×8 cells × 6); a box is the anchor centre
 * plus the predicted offset, the score a sigmoid. Faces in wide dashcam frames are small, so the
 * frame is also looked at in overlapping tiles (each letterboxed to the model's input); results
 * are merged with non-maximum suppression.
 */
public final class BlazeFaceDetector implements Detector {
  private static final int[][] LAYERS = {{16, 2}, {8, 6}}; // cells per row, anchors per cell
  private static final double NMS_IOU = 0.3;

  private final OnnxModel model;
  private final int size;
  private final float minScore;
  private final int tileRows;
  private final ModelInput input;

  /**
   * @param tileRows 0: whole frame only; n: also an n-row grid of overlapping square tiles
   */
  public BlazeFaceDetector(File model, float minScore, int tileRows) throws Exception {
    this.model = new OnnxModel(model);
    size = (int) this.model.inputShape()[1]; // NHWC [1, 256, 256, 3]
    this.minScore = minScore;
    this.tileRows = tileRows;
    input = new ModelInput(size, size, false);
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    List<Detection> all = new ArrayList<>();
    for (Rect tile : tiles(bgr.cols(), bgr.rows())) {
      try (Mat view = new Mat(bgr, tile)) {
        detectIn(view, tile.x(), tile.y(), bgr.cols(), bgr.rows(), all);
      }
      tile.close();
    }
    return Boxes.nms(all, NMS_IOU);
  }

  /** The whole frame, plus square tiles overlapping by a quarter when the frame is large. */
  List<Rect> tiles(int w, int h) {
    List<Rect> out = new ArrayList<>();
    out.add(new Rect(0, 0, w, h));
    if (tileRows <= 0 || Math.min(w, h) < 1.2 * size) {
      return out;
    }
    int side = Math.max(size,
        (int) Math.ceil(Math.min(w, h) / (tileRows - (tileRows - 1) * 0.25)));
    int stride = (int) (side * 0.75);
    for (int y = 0; ; y += stride) {
      int ty = Math.min(y, h - side);
      for (int x = 0; ; x += stride) {
        int tx = Math.min(x, w - side);
        out.add(new Rect(tx, ty, side, side));
        if (tx + side >= w) {
          break;
        }
      }
      if (ty + side >= h) {
        break;
      }
    }
    return out;
  }

  private void detectIn(Mat image, int offX, int offY, int fullW, int fullH, List<Detection> out)
      throws Exception {
    // MediaPipe's BlazeFace takes RGB scaled to [-1, 1].
    ModelInput.Letterbox lb = input.fill(image, 1 / 127.5, -1, 0);
    try (OrtSession.Result r = model.run(input.buffer(), input.shape())) {
      float[][] scores = {
          flat(r, "Identity:0", "Identity"), flat(r, "Identity_1:0", "Identity_1")};
      float[][] boxes = {
          flat(r, "Identity_2:0", "Identity_2"), flat(r, "Identity_3:0", "Identity_3")};
      for (int layer = 0; layer < 2; layer++) {
        int cells = LAYERS[layer][0];
        int perCell = LAYERS[layer][1];
        for (int i = 0; i < cells * cells * perCell; i++) {
          float score = sigmoid(scores[layer][i]);
          if (score < minScore) {
            continue;
          }
          int cell = i / perCell;
          double ax = (cell % cells + 0.5) / cells * size;
          double ay = (cell / cells + 0.5) / cells * size;
          double cx = ax + boxes[layer][i * 16];
          double cy = ay + boxes[layer][i * 16 + 1];
          double bw = boxes[layer][i * 16 + 2];
          double bh = boxes[layer][i * 16 + 3];
          Detection d = Boxes.of(Detection.FACE, score,
              lb.toSourceX(cx - bw / 2) + offX, lb.toSourceY(cy - bh / 2) + offY,
              lb.toSourceX(cx + bw / 2) + offX, lb.toSourceY(cy + bh / 2) + offY, fullW, fullH);
          if (d != null) {
            out.add(d);
          }
        }
      }
    }
  }

  private static float[] flat(OrtSession.Result r, String name, String alt) throws Exception {
    var v = r.get(name).or(() -> r.get(alt)).orElseThrow(
        () -> new IllegalStateException("BlazeFace output " + name + " missing"));
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-Math.max(-80, Math.min(80, x)))));
  }

  @Override
  public void close() throws Exception {
    model.close();
    input.close();
  }
}
