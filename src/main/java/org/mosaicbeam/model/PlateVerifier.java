package org.mosaicbeam.model;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_ml.ROW_SAMPLE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.FileStorage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_ml.Boost;
import org.bytedeco.opencv.opencv_ml.DTrees;
import org.bytedeco.opencv.opencv_ml.StatModel;
import org.bytedeco.opencv.opencv_ml.TrainData;

/**
 * Decides whether a plate candidate is a plate: boosted decision trees (OpenCV ml, Gentle AdaBoost)
 * over {@link PlateFeatures}, trained by {@code mosaicbeam train-plates} on the train split of
 * plates-dev (see {@code models/plate-verifier.md} for how the shipped model was made). The score
 * is the trees' summed answer F squashed into [0, 1] by 1 / (1 + e^(-F/4)): F of the shipped model
 * spans about ±40, which the textbook half-log-odds reading, e^(-2F), maps to exactly 0 or 1 for
 * most candidates, leaving no threshold to choose.
 */
public final class PlateVerifier implements AutoCloseable {
  /** The model the project ships, on the classpath (from {@code models/}). */
  public static final String SHIPPED = "models/plate-verifier.yml.gz";

  private final Boost boost;
  private final Mat row;
  private final Mat none = new Mat();

  PlateVerifier(Boost boost, int features) {
    this.boost = boost;
    this.row = new Mat(1, features, CV_32F);
  }

  /** Reads a model written by {@link #save} (gzipped OpenCV YAML), from a file or the classpath. */
  public static PlateVerifier load(InputStream gz, int features) throws IOException {
    String yaml = new String(new GZIPInputStream(gz).readAllBytes(), StandardCharsets.UTF_8);
    Boost b = Boost.create();
    try (FileStorage fs = new FileStorage(yaml, FileStorage.READ | FileStorage.MEMORY)) {
      b.read(fs.root());
    }
    if (!b.isTrained() || b.getVarCount() != features) {
      throw new IOException(
          "not a plate verifier for these features ("
              + b.getVarCount()
              + " inputs, expected "
              + features
              + ")");
    }
    return new PlateVerifier(b, features);
  }

  /** The shipped model. */
  static PlateVerifier shipped(int features) throws IOException {
    try (InputStream in = PlateVerifier.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IOException(SHIPPED + " is not on the classpath");
      }
      return load(in, features);
    }
  }

  /** Number of trees. */
  public int trees() {
    return (int) boost.getRoots().limit();
  }

  /** Probability-like score in [0, 1]. */
  public float score(float[] features) {
    row.ptr().position(0);
    ((java.nio.FloatBuffer) row.createBuffer()).put(features);
    // PREDICT_SUM: the trees' sum; without it Boost answers the class (0 or 1) even with RAW_OUTPUT
    float sum = boost.predict(row, none, DTrees.PREDICT_SUM | StatModel.RAW_OUTPUT);
    return (float) (1 / (1 + Math.exp(-sum / 4)));
  }

  /**
   * Trains a verifier: {@code weakCount} trees of depth {@code depth}, Gentle AdaBoost (what OpenCV
   * recommends for two classes; its sum estimates half the log-odds).
   */
  public static PlateVerifier train(
      List<float[]> features, List<Boolean> isPlate, int weakCount, int depth) {
    int n = features.size();
    int dims = features.get(0).length;
    Mat samples = new Mat(n, dims, CV_32F);
    Mat labels = new Mat(n, 1, CV_32S);
    FloatIndexer s = samples.createIndexer();
    IntIndexer l = labels.createIndexer();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dims; j++) {
        s.put(i, j, features.get(i)[j]);
      }
      l.put(i, 0, isPlate.get(i) ? 1 : 0);
    }
    s.close();
    l.close();
    Boost b = Boost.create();
    b.setBoostType(Boost.GENTLE);
    b.setWeakCount(weakCount);
    b.setMaxDepth(depth);
    b.setWeightTrimRate(0.95);
    b.setUseSurrogates(false);
    b.setCVFolds(0); // OpenCV's own pruning folds: off (the trainer cross-validates)
    try (TrainData data = TrainData.create(samples, ROW_SAMPLE, labels)) {
      b.train(data);
    }
    samples.close();
    labels.close();
    return new PlateVerifier(b, dims);
  }

  /** Writes the model as gzipped OpenCV YAML (what {@link #load} reads). */
  public void save(OutputStream out) throws IOException {
    try (FileStorage fs = new FileStorage(".yml", FileStorage.WRITE | FileStorage.MEMORY)) {
      boost.write(fs);
      String yaml = fs.releaseAndGetString().getString();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(yaml.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void close() {
    boost.close();
    row.close();
    none.close();
  }
}
