package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The project's own plate finder network ({@code train-plates} trains it): a small fully
 * convolutional network (depthwise-separable blocks down to 1/32 and a feature pyramid back to 1/4,
 * ~43 k weights) that marks, at a quarter of its input's resolution, the middle of every licence
 * plate it sees. A frame is searched twice: at {@code side} for plates up to ~300 px of that size,
 * and at a third of it for the larger ones (close-ups). Each blob of the marks at each of a few
 * probability thresholds is one candidate, grown back from the marked middle to the plate's size: a
 * low threshold reaches faint plates, a high one cuts a small plate out of the blob that also
 * covers the car around it (a crop of the whole car, the verifier rightly rejects). About 20 ms for
 * a 1080p frame at 1280 against ~170 ms for the PP-OCR text detector it replaces as the default
 * candidate source.
 */
final class PlateNet implements AutoCloseable {
  /** The network the project ships, on the classpath (from {@code models/}). */
  static final String SHIPPED = "models/plate-net.onnx";

  // the network marks the plate's middle: 80 % of its width, 70 % of its height (plates over 40
  // and 16 px; the whole plate below), as scripts/train-plate-net.py teaches it
  private static final double CORE_WIDTH = 0.8;
  private static final double CORE_HEIGHT = 0.7;
  private static final double COARSE = 1 / 3.0;
  private static final int STRIDE = 4;

  private final SizedModels sessions;
  private final int side;
  private final float[] thresholds;
  private final Mat prob = new Mat();
  private final Mat mask = new Mat();
  private final Mat labels = new Mat();
  private final Mat stats = new Mat();
  private final Mat centroids = new Mat();

  PlateNet(byte[] onnx, int side, float... thresholds) throws Exception {
    this.side = side;
    this.thresholds = thresholds.clone();
    this.sessions = SizedModels.bgrPlanes(onnx);
    sessions.get(64, 64); // a file that is not this network fails here, not on a frame
  }

  static PlateNet shipped(int side, float... thresholds) throws Exception {
    try (InputStream in = PlateNet.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IOException(SHIPPED + " is not on the classpath");
      }
      return new PlateNet(in.readAllBytes(), side, thresholds);
    }
  }

  /** Candidate plate boxes in source pixels, scored by the network's strongest mark in each. */
  List<Detection> candidates(Mat bgr) throws Exception {
    double scale = (double) side / Math.max(bgr.cols(), bgr.rows());
    List<Detection> out = new ArrayList<>();
    search(bgr, scale, out);
    search(bgr, scale * COARSE, out);
    return out;
  }

  private void search(Mat bgr, double scale, List<Detection> out) throws Exception {
    int w = bgr.cols();
    int h = bgr.rows();
    SizedModels.Sized sized = sessions.scaled(w, h, scale);
    ModelInput input = sized.input();
    ModelInput.Letterbox lb = input.fill(bgr, 1 / 255.0, 0, 0);
    int pw = input.width() / STRIDE;
    int ph = input.height() / STRIDE;
    try (OrtSession.Result r = sized.model().run(input.buffer(), input.shape())) {
      FloatBuffer logits = ((OnnxTensor) r.get(0)).getFloatBuffer();
      prob.create(ph, pw, CV_32FC1);
      ((FloatBuffer) prob.createBuffer()).put(logits);
    }
    for (float t : thresholds) {
      blobs(t, pw, ph, lb, w, h, out);
    }
  }

  /** One candidate per blob of the marks with probability >= {@code t}. */
  private void blobs(
      float t, int pw, int ph, ModelInput.Letterbox lb, int w, int h, List<Detection> out) {
    // the network answers logits: p >= t where logit >= log(t / (1 - t))
    threshold(prob, mask, Math.log(t / (1.0 - t)), 255, THRESH_BINARY);
    mask.convertTo(mask, CV_8U);
    int n = connectedComponentsWithStats(mask, labels, stats, centroids);
    float[] best = strongest(n, pw, ph);
    try (IntIndexer st = stats.createIndexer()) {
      for (int k = 1; k < n; k++) {
        double cx = (st.get(k, 0) + st.get(k, 2) / 2.0) * STRIDE;
        double cy = (st.get(k, 1) + st.get(k, 3) / 2.0) * STRIDE;
        double bw = st.get(k, 2) * STRIDE / CORE_WIDTH;
        double bh = st.get(k, 3) * STRIDE / CORE_HEIGHT;
        float score = (float) (1 / (1 + Math.exp(-best[k])));
        Detection d = lb.centred(Detection.PLATE, score, cx, cy, bw, bh, w, h);
        if (d != null) {
          out.add(d);
        }
      }
    }
  }

  /** Each component's largest logit. */
  private float[] strongest(int n, int pw, int ph) {
    float[] best = new float[n];
    Arrays.fill(best, Float.NEGATIVE_INFINITY);
    FloatBuffer p = (FloatBuffer) prob.createBuffer();
    try (IntIndexer lab = labels.createIndexer()) {
      for (int y = 0; y < ph; y++) {
        for (int x = 0; x < pw; x++) {
          int k = lab.get(y, x);
          if (k > 0) {
            best[k] = Math.max(best[k], p.get(y * pw + x));
          }
        }
      }
    }
    return best;
  }

  @Override
  public void close() {
    sessions.close();
    prob.close();
    mask.close();
    labels.close();
    stats.close();
    centroids.close();
  }
}
