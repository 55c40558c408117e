package org.mosaicbeam.training;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.PlateVerifier;

/**
 * Re-training the plate verifier on a few frames of plates-dev's and plates-world's train splits
 * (the test fixtures) still works.
 */
class TrainPlatesCommandTest {
  static final String FIXTURES = "src/test/resources/dev-data/";
  static final String LABELS =
      FIXTURES + "plates-dev/labels/train.jsonl," + FIXTURES + "plates-world/labels/train.jsonl";
  static final String US_PLATE = "Dennis-Acker-Consulting-CarPlateDataset__Cars204.jpg";
  @TempDir Path dir;

  static String[] args(Path model, long seed) {
    return new String[] {
      "--labels=" + LABELS,
      "--model=" + model,
      "--netModel=" + model.resolveSibling("net.onnx"),
      "--netSteps=8",
      "--maxImages=10",
      "--epochs=2",
      "--folds=2",
      "--seed=" + seed
    };
  }

  static String train(Path model, long seed) throws Exception {
    String[] a = args(model, seed);
    return TrainPlatesCommand.run(Cli.parse(a, TrainPlatesOptions.class), String.join(" ", a));
  }

  @Test
  void sameDataAndSeedGiveTheSameModelAndANoteOfHowItWasMade() throws Exception {
    Path first = dir.resolve("a/verifier.onnx");
    Path second = dir.resolve("b/verifier.onnx");
    Path other = dir.resolve("c/verifier.onnx");
    String table = train(first, 7);
    train(second, 7);
    train(other, 8);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a/net.onnx")),
        Files.readAllBytes(dir.resolve("b/net.onnx")));
    assertFalse(
        Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(other)),
        "the seed picks the images, the shifted plate copies and the training batches");
    assertTrue(table.contains("cross-validated (2 folds"), table);

    String note = Files.readString(dir.resolve("a/verifier.md"));
    assertTrue(note.contains("train-plates " + String.join(" ", args(first, 7))), note);
    assertTrue(note.contains("10 images"), note);
    assertTrue(note.contains("2 epochs"), note);
    assertTrue(note.contains("recall"), note);
    assertTrue(note.contains("Attribution: trained on plates-world"), note);
    assertFalse(Files.exists(dir.resolve("a/.verifier.onnx.work")), "work folder left behind");

    // the model is one the plate finder can use: it scores crops, in [0, 1]
    try (PlateVerifier v = PlateVerifier.load(Files.readAllBytes(first));
        Mat photo = imread(FIXTURES + "plates-world/images/" + US_PLATE)) {
      float[] s = v.score(photo, List.of(new Detection(Detection.PLATE, 1, 193, 145, 86, 42)));
      assertTrue(s[0] >= 0 && s[0] <= 1, Arrays.toString(s));
    }
  }
}
