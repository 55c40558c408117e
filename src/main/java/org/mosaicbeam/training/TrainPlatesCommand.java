package org.mosaicbeam.training;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.evaluation.DetectionScore;
import org.mosaicbeam.evaluation.GroundTruth;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.PlateFinder;
import org.mosaicbeam.model.PlateVerifier;

/**
 * {@code mosaicbeam train-plates}: re-trains the plate verifier from annotated images, the same way
 * every time for the same data and seed. Runs the plate finder's candidate stage on every image,
 * labels the candidates against the annotations ({@link PlateSamples}), prints cross-validated
 * recall and stray boxes per image for a range of thresholds, then trains on everything and writes
 * the model and a note of how it was made.
 */
public final class TrainPlatesCommand {
  private static final float[] THRESHOLDS = {
    0.01f, 0.02f, 0.05f, 0.1f, 0.15f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f
  };
  private static final Pattern RIDE_TIME = Pattern.compile("(.*)_t(\\d+)\\.[a-zA-Z]+$");

  private TrainPlatesCommand() {}

  public static void main(String[] args) throws Exception {
    TrainPlatesOptions options = Cli.parse(args, TrainPlatesOptions.class);
    if (options != null) {
      run(options, String.join(" ", args));
    }
  }

  /** Trains, writes the model and its note; returns the cross-validation table (may be empty). */
  public static String run(TrainPlatesOptions o, String commandLine) throws Exception {
    List<GroundTruth.Image> images = new ArrayList<>(GroundTruth.read(new File(o.getLabels())));
    images.removeIf(i -> i.plates() == null);
    Random random = new Random(TrainPlatesOptions.seed(o));
    if (o.getMaxImages() > 0 && o.getMaxImages() < images.size()) {
      Collections.shuffle(images, random);
      images = new ArrayList<>(images.subList(0, o.getMaxImages()));
      images.sort((a, b) -> a.file().getName().compareTo(b.file().getName()));
    }
    if (images.isEmpty()) {
      throw new UserError("--labels=" + o.getLabels() + ": no image with annotated plates");
    }
    opencv_core.setRNGSeed((int) TrainPlatesOptions.seed(o));

    List<PlateSamples> perImage = new ArrayList<>();
    Progress progress = new Progress("train-plates: candidates", images.size());
    try (PlateFinder finder = PlateFinder.forTraining()) {
      for (GroundTruth.Image image : images) {
        Mat bgr = imread(image.file().getPath());
        if (bgr.empty()) {
          throw new UserError(image.file() + ": not a readable image");
        }
        perImage.add(PlateSamples.of(image, bgr, finder, random));
        bgr.close();
        progress.add(1);
      }
    }
    int[] counts = new int[4]; // plates, background, left out, of which added copies
    for (PlateSamples p : perImage) {
      for (PlateSamples.Sample s : p.samples()) {
        counts[s.plate() == null ? 2 : s.plate() ? 0 : 1]++;
        counts[3] += s.augmented() ? 1 : 0;
      }
    }
    String table = o.getFolds() > 1 ? crossValidate(perImage, o) : "";
    System.out.print(table);

    PlateVerifier model = fit(perImage, o, -1);
    StringBuilder fitted = new StringBuilder();
    float[][] scores = scoreAll(model, perImage);
    for (float t : THRESHOLDS) {
      DetectionScore s = score(perImage, scores, t);
      fitted.append(row(t, s));
    }
    AtomicOutput.write(o.getModel(), "application/gzip", out -> model.save(out));
    model.close();
    int dims =
        perImage.get(0).samples().isEmpty()
            ? 0
            : perImage.get(0).samples().get(0).features().length;
    String note = note(o, commandLine, images, counts, dims, table, fitted.toString());
    AtomicOutput.write(
        noteFile(o.getModel()),
        "text/markdown",
        out -> out.write(note.getBytes(StandardCharsets.UTF_8)));
    System.err.printf(
        Locale.ROOT,
        "train-plates: %d images, %d plate / %d background samples"
            + " (%d left out) -> %s and %s%n",
        images.size(),
        counts[0],
        counts[1],
        counts[2],
        o.getModel(),
        noteFile(o.getModel()));
    return table;
  }

  static String noteFile(String model) {
    return model.replaceFirst("(\\.yml)?(\\.gz)?$", "") + ".md";
  }

  /** Fold of an image: frames of one ride within one minute share a fold. */
  static int fold(GroundTruth.Image image, int folds) {
    String name = image.file().getName();
    Matcher m = RIDE_TIME.matcher(name);
    String group = m.matches() ? m.group(1) + "/" + Long.parseLong(m.group(2)) / 60 : name;
    return Math.floorMod(group.hashCode(), folds);
  }

  private static String crossValidate(List<PlateSamples> perImage, TrainPlatesOptions o) {
    int folds = o.getFolds();
    float[][] scores = new float[perImage.size()][];
    for (int f = 0; f < folds; f++) {
      try (PlateVerifier model = fit(perImage, o, f)) {
        for (int i = 0; i < perImage.size(); i++) {
          if (fold(perImage.get(i).image(), folds) == f) {
            scores[i] = scoreAll(model, List.of(perImage.get(i)))[0];
          }
        }
      }
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "cross-validated (%d folds by ride and minute): threshold, plate recall, stray boxes"
                    + " per image%n",
                folds));
    for (float t : THRESHOLDS) {
      s.append(row(t, score(perImage, scores, t)));
    }
    return s.toString();
  }

  private static String row(float threshold, DetectionScore s) {
    return String.format(
        Locale.ROOT,
        "  %.2f  recall %.3f  strays %.2f%n",
        threshold,
        s.recall(),
        s.straysPerImage());
  }

  /** Trains on every image outside {@code heldOutFold} (-1: on all). */
  private static PlateVerifier fit(
      List<PlateSamples> perImage, TrainPlatesOptions o, int heldOutFold) {
    List<float[]> x = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    for (PlateSamples p : perImage) {
      if (heldOutFold >= 0 && fold(p.image(), o.getFolds()) == heldOutFold) {
        continue;
      }
      for (PlateSamples.Sample s : p.samples()) {
        if (s.plate() != null) {
          x.add(s.features());
          y.add(s.plate());
        }
      }
    }
    if (!y.contains(true) || !y.contains(false)) {
      throw new UserError(
          "train-plates: need both plate and background candidates; got " + x.size() + " samples");
    }
    return PlateVerifier.train(x, y, o.getTrees(), o.getTreeDepth());
  }

  private static float[][] scoreAll(PlateVerifier model, List<PlateSamples> perImage) {
    float[][] out = new float[perImage.size()][];
    for (int i = 0; i < perImage.size(); i++) {
      List<PlateSamples.Sample> samples = perImage.get(i).samples();
      out[i] = new float[samples.size()];
      for (int j = 0; j < samples.size(); j++) {
        out[i][j] = model.score(samples.get(j).features());
      }
    }
    return out;
  }

  /** Plate recall and strays over the images that have scores, at one threshold. */
  private static DetectionScore score(
      List<PlateSamples> perImage, float[][] scores, float threshold) {
    DetectionScore s = DetectionScore.forLabel(Detection.PLATE);
    for (int i = 0; i < perImage.size(); i++) {
      if (scores[i] != null) {
        perImage.get(i).score(scores[i], threshold, s);
      }
    }
    return s;
  }

  private static String note(
      TrainPlatesOptions o,
      String commandLine,
      List<GroundTruth.Image> images,
      int[] counts,
      int dims,
      String cv,
      String fitted) {
    int plates = images.stream().mapToInt(i -> i.plates().size()).sum();
    return String.format(
        Locale.ROOT,
        """
        # Plate verifier: how this model was made

        Written by `scripts/mosaicbeam train-plates %s` on %s.

        - Data: `%s`, %d images, %d annotated plates.
        - Samples (candidates of the plate finder's first stage, labelled against the
          annotations): %d plate, %d background, %d left out as ambiguous; %d of the plate
          samples are shifted copies of annotated plates (%d per plate, seed %d).
        - Model: OpenCV ml Boost (Gentle AdaBoost), %d trees of depth %d, over %d features
          (`PlateFeatures`). Re-running the same command on the same data writes the same model.

        ## Scores
        Recall of annotated plates and stray boxes per image, by the score threshold
        (`--plateMinConfidence`).

        Cross-validated on the training images (each fold held out in turn):

        ```
        %s```

        On the training images themselves (optimistic):

        ```
        %s```

        Measure the model on the valid split, which it never saw:
        `scripts/mosaicbeam detect --groundTruth=../shared/data/plates-dev/labels/valid.jsonl --faceModel=none`
        """,
        commandLine,
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        o.getLabels(),
        images.size(),
        plates,
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        PlateSamples.COPIES,
        TrainPlatesOptions.seed(o),
        o.getTrees(),
        o.getTreeDepth(),
        dims,
        cv.isEmpty() ? "(skipped)\n" : cv,
        fitted);
  }
}
