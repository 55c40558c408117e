package org.mosaicbeam.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.File;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * MediaPipe BlazeFace (back-camera model) through ONNX Runtime, edited at load time to take any
 * input size ({@link BlazeFaceGraph}). The model predicts offsets from fixed anchors, in input
 * pixels: 2 per cell of a stride-16 grid and 6 per cell of a stride-32 grid (896 at 256×256); a box
 * is the anchor centre plus the predicted offset, the score a sigmoid. Which views of the frame it
 * is run on is a {@link FaceSearch}; the results are merged with non-maximum suppression.
 */
public final class BlazeFaceDetector implements Detector {
  private static final int[][] LAYERS = {{16, 2}, {32, 6}}; // stride, anchors per cell
  private static final int COARSE = 256; // the original model's input: whole frame or tile
  private static final double NMS_IOU = 0.3;
  private static final double NESTED = 0.6;

  // the model edited into a session per input size (a video has two: 256 and its scaled frame);
  // fixed sizes run faster than the symbolic graph: 5.8 vs 6.9 ms at 256×256
  private final SizedModels sessions;
  private final float minLogit; // sigmoid(logit) >= minScore, without an exp per anchor
  private final FaceSearch search;

  public BlazeFaceDetector(File model, float minScore, FaceSearch search) throws Exception {
    byte[] original = Files.readAllBytes(model.toPath());
    sessions =
        new SizedModels(
            (w, h) ->
                new SizedModels.Sized(
                    new OnnxModel(BlazeFaceGraph.forInput(original, h, w)),
                    new ModelInput(w, h, false)));
    minLogit = (float) Math.log(minScore / (1.0 - minScore));
    this.search = search;
    sessions.get(COARSE, COARSE); // a file that is not the expected model fails here, not later
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    List<Detection> all = new ArrayList<>();
    int w = bgr.cols();
    int h = bgr.rows();
    if (search.coarse()) {
      detectIn(bgr, sessions.get(COARSE, COARSE), 0, 0, w, h, all);
    }
    for (Rect tile : tiles(w, h)) {
      try (Mat view = new Mat(bgr, tile)) {
        detectIn(view, sessions.get(COARSE, COARSE), tile.x(), tile.y(), w, h, all);
      }
      tile.close();
    }
    for (double s : search.scales()) {
      detectIn(bgr, sessions.scaled(w, h, s), 0, 0, w, h, all);
    }
    return dropNested(Boxes.nms(all, NMS_IOU));
  }

  /**
   * Drops boxes lying mostly (>= 60 % of their area) inside a larger box. A pass that sees a face
   * far larger than it finds well (over ~160 px of its input) answers with boxes on parts of it:
   * the facemark photo at 2x (three ~650 px faces) gave 15 boxes, 3 after this; on the Debian
   * photos at 2x and 3x, COARSE_SCALE_67's strays per photo fell from 3.56 to 1.38. The larger box
   * already masks them.
   */
  static List<Detection> dropNested(List<Detection> boxes) {
    List<Detection> kept = new ArrayList<>();
    for (Detection d : boxes) {
      double area = (double) d.width() * d.height();
      boolean nested = false;
      for (Detection big : boxes) {
        if ((double) big.width() * big.height() > area && inside(d, big) >= NESTED * area) {
          nested = true;
          break;
        }
      }
      if (!nested) {
        kept.add(d);
      }
    }
    return kept;
  }

  /** The area of {@code d} inside {@code big}. */
  private static double inside(Detection d, Detection big) {
    int w = Math.min(d.x() + d.width(), big.x() + big.width()) - Math.max(d.x(), big.x());
    int h = Math.min(d.y() + d.height(), big.y() + big.height()) - Math.max(d.y(), big.y());
    return w <= 0 || h <= 0 ? 0 : (double) w * h;
  }

  /** Square tiles overlapping by a quarter, when the frame is large. */
  List<Rect> tiles(int w, int h) {
    List<Rect> out = new ArrayList<>();
    int tileRows = search.tileRows();
    if (tileRows <= 0 || Math.min(w, h) < 1.2 * COARSE) {
      return out;
    }
    int side =
        Math.max(COARSE, (int) Math.ceil(Math.min(w, h) / (tileRows - (tileRows - 1) * 0.25)));
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

  private void detectIn(
      Mat image,
      SizedModels.Sized sized,
      int offX,
      int offY,
      int fullW,
      int fullH,
      List<Detection> out)
      throws Exception {
    ModelInput input = sized.input();
    // MediaPipe's BlazeFace takes RGB scaled to [-1, 1].
    ModelInput.Letterbox lb = input.fill(image, 1 / 127.5, -1, 0);
    long[] shape = input.shape(); // NHWC
    try (OrtSession.Result r = sized.model().run(input.buffer(), input.shape())) {
      float[][] scores = {flat(r, "Identity:0", "Identity"), flat(r, "Identity_1:0", "Identity_1")};
      float[][] boxes = {
        flat(r, "Identity_2:0", "Identity_2"), flat(r, "Identity_3:0", "Identity_3")
      };
      for (int layer = 0; layer < 2; layer++) {
        int stride = LAYERS[layer][0];
        int perCell = LAYERS[layer][1];
        int cols = (int) shape[2] / stride;
        int anchors = (int) shape[1] / stride * cols * perCell;
        if (scores[layer].length != anchors) {
          throw new IllegalStateException(
              "BlazeFace: " + scores[layer].length + " scores for " + anchors + " anchors");
        }
        for (int i = 0; i < anchors; i++) {
          if (scores[layer][i] < minLogit) {
            continue;
          }
          float score = sigmoid(scores[layer][i]);
          int cell = i / perCell;
          double ax = (cell % cols + 0.5) * stride;
          double ay = (cell / cols + 0.5) * stride;
          double cx = ax + boxes[layer][i * 16];
          double cy = ay + boxes[layer][i * 16 + 1];
          double bw = boxes[layer][i * 16 + 2];
          double bh = boxes[layer][i * 16 + 3];
          Detection d =
              Boxes.of(
                  Detection.FACE,
                  score,
                  lb.toSourceX(cx - bw / 2) + offX,
                  lb.toSourceY(cy - bh / 2) + offY,
                  lb.toSourceX(cx + bw / 2) + offX,
                  lb.toSourceY(cy + bh / 2) + offY,
                  fullW,
                  fullH);
          if (d != null) {
            out.add(d);
          }
        }
      }
    }
  }

  private static float[] flat(OrtSession.Result r, String name, String alt) throws Exception {
    var v =
        r.get(name)
            .or(() -> r.get(alt))
            .orElseThrow(() -> new IllegalStateException("BlazeFace output " + name + " missing"));
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-Math.max(-80, Math.min(80, x)))));
  }

  @Override
  public void close() {
    sessions.close();
  }
}
