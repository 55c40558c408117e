package org.mosaicbeam.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.model.PlateFinder;
import org.mosaicbeam.model.PlateVerifier;

/** Re-training the plate verifier on a small subset of plates-dev's train split still works. */
class TrainPlatesCommandTest {
  static final String LABELS = "../shared/data/plates-dev/labels/train.jsonl";
  @TempDir Path dir;

  static String[] args(Path model, long seed) {
    return new String[] {
      "--labels=" + LABELS,
      "--model=" + model,
      "--maxImages=10",
      "--trees=20",
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
    Path first = dir.resolve("a/verifier.yml.gz");
    Path second = dir.resolve("b/verifier.yml.gz");
    Path other = dir.resolve("c/verifier.yml.gz");
    String table = train(first, 7);
    train(second, 7);
    train(other, 8);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    assertFalse(
        Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(other)),
        "the seed picks the images and the shifted plate copies");
    assertTrue(table.contains("cross-validated (2 folds"), table);

    String note = Files.readString(dir.resolve("a/verifier.md"));
    assertTrue(note.contains("train-plates " + String.join(" ", args(first, 7))), note);
    assertTrue(note.contains("10 images"), note);
    assertTrue(note.contains("20 trees of depth 3"), note);
    assertTrue(note.contains("recall"), note);

    // the model is one the plate finder can use: it reads it and it has all the trees
    try (PlateFinder finder = PlateFinder.forTraining();
        InputStream in = new FileInputStream(first.toFile());
        PlateVerifier v = PlateVerifier.load(in, finder.featureCount())) {
      assertEquals(20, v.trees());
    }
  }
}
