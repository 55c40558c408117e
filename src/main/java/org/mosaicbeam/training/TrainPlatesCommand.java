package org.mosaicbeam.training;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * labels the candidates against the annotations ({@link PlateSamples}), cuts each one as the
 * verifier sees it ({@link PlateVerifier#crop}), has {@code scripts/train-plate-verifier.py}
 * (PyTorch) train the network with cross-validation, prints recall and stray boxes per image for a
 * range of thresholds from the held-out scores, and writes the model and a note of how it was made.
 */
public final class TrainPlatesCommand {
  private static final float[] THRESHOLDS = {
    0.01f, 0.02f, 0.05f, 0.1f, 0.15f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f
  };
  private static final Pattern RIDE_TIME = Pattern.compile("(.*)_t(\\d+)\\.[a-zA-Z]+$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainPlatesCommand() {}

  public static void main(String[] args) throws Exception {
    TrainPlatesOptions options = Cli.parse(args, TrainPlatesOptions.class);
    if (options != null) {
      run(options, String.join(" ", args));
    }
  }

  /** Trains, writes the model and its note; returns the cross-validation table (may be empty). */
  public static String run(TrainPlatesOptions o, String commandLine) throws Exception {
    List<String> sources = new ArrayList<>();
    List<GroundTruth.Image> images = read(o, sources);
    Random random = new Random(TrainPlatesOptions.seed(o));
    if (o.getMaxImages() > 0 && o.getMaxImages() < images.size()) {
      Collections.shuffle(images, random);
      images = new ArrayList<>(images.subList(0, o.getMaxImages()));
      images.sort((a, b) -> a.file().getPath().compareTo(b.file().getPath()));
    }
    if (images.isEmpty()) {
      throw new UserError("--labels=" + o.getLabels() + ": no image with annotated plates");
    }
    Path model = Path.of(o.getModel()).toAbsolutePath();
    Path work = model.resolveSibling("." + model.getFileName() + ".work");
    deleteTree(work);
    Files.createDirectories(work);
    try {
      Path net = work.resolve("plate-net.onnx");
      if (o.getNetSteps() > 0) {
        writeLabels(images, work.resolve("labels.jsonl"));
        runScript(
            o,
            "scripts/train-plate-net.py",
            net.toString(),
            work.resolve("labels.jsonl").toString(),
            "--steps=" + o.getNetSteps(),
            "--seed=" + TrainPlatesOptions.seed(o),
            "--threads=" + o.getThreads());
      } else {
        Files.copy(Path.of(o.getNetModel()), net);
      }
      List<PlateSamples> perImage = writeSamples(images, random, o, work, net.toFile());
      int[] counts = new int[4]; // plates, background, left out, of which added copies
      for (PlateSamples p : perImage) {
        for (PlateSamples.Sample s : p.samples()) {
          counts[s.plate() == null ? 2 : s.plate() ? 0 : 1]++;
          counts[3] += s.augmented() ? 1 : 0;
        }
      }
      runScript(
          o,
          "scripts/train-plate-verifier.py",
          work.toString(),
          "--folds=" + o.getFolds(),
          "--epochs=" + o.getEpochs(),
          "--seed=" + TrainPlatesOptions.seed(o),
          "--threads=" + o.getThreads());
      String table =
          o.getFolds() > 1
              ? String.format(
                      Locale.ROOT,
                      "cross-validated (%d folds by ride and minute): threshold, plate recall, stray"
                          + " boxes per image%n",
                      o.getFolds())
                  + table(perImage, readScores(work.resolve("cv_scores.txt")))
              : "";
      System.out.print(table);
      String fitted = table(perImage, readScores(work.resolve("scores.txt")));
      byte[] onnx = Files.readAllBytes(work.resolve("model.onnx"));
      PlateVerifier.load(onnx).close(); // what is written is a model the finder can load
      if (o.getNetSteps() > 0) {
        byte[] netBytes = Files.readAllBytes(net);
        AtomicOutput.write(o.getNetModel(), "application/octet-stream", out -> out.write(netBytes));
      }
      AtomicOutput.write(o.getModel(), "application/octet-stream", out -> out.write(onnx));
      String note = note(o, commandLine, sources, images, counts, table, fitted);
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
    } finally {
      deleteTree(work);
    }
  }

  /** The annotated images of every label file, in order; {@code sources} gets one line each. */
  private static List<GroundTruth.Image> read(TrainPlatesOptions o, List<String> sources) {
    List<GroundTruth.Image> images = new ArrayList<>();
    for (String labels : o.getLabels().split(",")) {
      File file = new File(labels.trim());
      if (!file.isFile()) {
        throw new UserError(
            "--labels: "
                + file
                + " not found"
                + (o.getLabels().equals(TrainPlatesOptions.DEV_LABELS)
                    ? " (the development data in ../shared/data is not beside this checkout: pass"
                        + " --labels=FILE.jsonl,... with annotated plates)"
                    : ""));
      }
      List<GroundTruth.Image> read = new ArrayList<>(GroundTruth.read(file));
      read.removeIf(i -> i.plates() == null);
      int plates = read.stream().mapToInt(i -> i.plates().size()).sum();
      sources.add(
          String.format(Locale.ROOT, "`%s`: %d images, %d plates", labels, read.size(), plates));
      images.addAll(read);
    }
    return images;
  }

  /**
   * Runs the candidate stage on every image and writes each sample's crop ({@code crops.u8}, the
   * crops' bytes one after the other) and its fold and label ({@code samples.csv}) for the script.
   */
  private static List<PlateSamples> writeSamples(
      List<GroundTruth.Image> images, Random random, TrainPlatesOptions o, Path work, File net)
      throws Exception {
    List<PlateSamples> perImage = new ArrayList<>();
    Progress progress = new Progress("train-plates: candidates", images.size());
    byte[] bytes = new byte[PlateVerifier.CROP_HEIGHT * PlateVerifier.CROP_WIDTH * 3];
    try (PlateFinder finder = PlateFinder.forTraining(net);
        OutputStream crops =
            new BufferedOutputStream(Files.newOutputStream(work.resolve("crops.u8")));
        PrintWriter samples =
            new PrintWriter(
                Files.newBufferedWriter(work.resolve("samples.csv"), StandardCharsets.UTF_8));
        Mat crop = new Mat()) {
      samples.println("fold,label,augmented");
      for (GroundTruth.Image image : images) {
        Mat bgr = imread(image.file().getPath());
        if (bgr.empty()) {
          throw new UserError(image.file() + ": not a readable image");
        }
        PlateSamples p = PlateSamples.of(image, bgr, finder, random);
        int fold = fold(image, Math.max(1, o.getFolds()));
        for (PlateSamples.Sample s : p.samples()) {
          PlateVerifier.crop(bgr, s.box(), crop);
          crop.data().get(bytes);
          crops.write(bytes);
          samples.printf(
              "%d,%d,%d%n",
              fold, s.plate() == null ? -1 : s.plate() ? 1 : 0, s.augmented() ? 1 : 0);
        }
        perImage.add(p);
        bgr.close();
        progress.add(1);
      }
    }
    return perImage;
  }

  /** The images to learn from, for the network's script: absolute paths and their plates. */
  private static void writeLabels(List<GroundTruth.Image> images, Path file) throws IOException {
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      for (GroundTruth.Image image : images) {
        ObjectNode line = JSON.createObjectNode().put("file", image.file().getAbsolutePath());
        ArrayNode plates = line.putArray("plates");
        for (Detection d : image.plates()) {
          plates.addArray().add(d.x()).add(d.y()).add(d.width()).add(d.height());
        }
        out.println(JSON.writeValueAsString(line));
      }
    }
  }

  /** Runs one of the training scripts with PyTorch; its output goes to stderr. */
  private static void runScript(TrainPlatesOptions o, String name, String... args)
      throws Exception {
    File script = new File(System.getProperty("mosaicbeam.home", "."), name);
    List<String> command = new ArrayList<>(List.of(TrainPlatesOptions.python(o), script.getPath()));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UserError(
          "--python=" + TrainPlatesOptions.python(o) + ": cannot run it (" + e.getMessage() + ")",
          e);
    }
    String last = "";
    boolean noTorch = false;
    try (var lines = p.inputReader(StandardCharsets.UTF_8).lines()) {
      for (String line : (Iterable<String>) lines::iterator) {
        System.err.println(line); // the script's progress, and its error if it fails
        last = line.isBlank() ? last : line;
        noTorch |=
            line.contains("No module named 'torch'") || line.contains("No module named 'PIL'");
      }
    }
    if (p.waitFor() != 0) {
      throw new UserError(
          "train-plates: "
              + script
              + " failed: "
              + last
              + (noTorch
                  ? " (install PyTorch and Pillow: scripts/setup, or apt-get install python3-torch"
                      + " python3-pil)"
                  : ""));
    }
  }

  private static float[] readScores(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    float[] out = new float[lines.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.parseFloat(lines.get(i).strip());
    }
    return out;
  }

  static String noteFile(String model) {
    return model.replaceFirst("(\\.onnx)?$", "") + ".md";
  }

  /** Fold of an image: frames of one ride within one minute share a fold. */
  static int fold(GroundTruth.Image image, int folds) {
    String name = image.file().getName();
    Matcher m = RIDE_TIME.matcher(name);
    String group = m.matches() ? m.group(1) + "/" + Long.parseLong(m.group(2)) / 60 : name;
    return Math.floorMod(group.hashCode(), folds);
  }

  /** Recall and strays per threshold, from one score per sample (samples in file order). */
  private static String table(List<PlateSamples> perImage, float[] all) {
    StringBuilder s = new StringBuilder();
    for (float t : THRESHOLDS) {
      DetectionScore score = DetectionScore.forLabel(Detection.PLATE);
      int next = 0;
      for (PlateSamples p : perImage) {
        float[] mine = new float[p.samples().size()];
        System.arraycopy(all, next, mine, 0, mine.length);
        next += mine.length;
        if (!Float.isNaN(mine.length == 0 ? 0 : mine[0])) {
          p.score(mine, t, score);
        }
      }
      s.append(
          String.format(
              Locale.ROOT,
              "  %.2f  recall %.3f  strays %.2f%n",
              t,
              score.recall(),
              score.straysPerImage()));
    }
    return s.toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static String note(
      TrainPlatesOptions o,
      String commandLine,
      List<String> sources,
      List<GroundTruth.Image> images,
      int[] counts,
      String cv,
      String fitted) {
    return String.format(
        Locale.ROOT,
        """
        # Plate verifier: how this model was made

        Written by `scripts/mosaicbeam train-plates %s` on %s.

        - Data (%d images used): %s.
        - Plate finder network (`PlateNet`, written to `%s`): %s.
        - Verifier samples (the candidates of the plate finder's first stage, labelled against
          the annotations): %d plate, %d background, %d left out as ambiguous; %d of the plate
          samples are shifted copies of annotated plates (%d per plate, seed %d).
        - Verifier: `scripts/train-plate-verifier.py` (PyTorch), %d epochs, a network of four 3×3
          convolution blocks over each candidate's %d×%d crop (`PlateVerifier`), exported to ONNX.
          Re-running the same command on the same data writes the same models.
        %s
        ## Scores
        Recall of annotated plates and stray boxes per image, by the score threshold
        (`--plateMinConfidence`).

        Cross-validated on the training images (each fold held out in turn):

        ```
        %s```

        On the training images themselves (optimistic):

        ```
        %s```

        Measure the model on the valid splits, which it never saw (`--plateVerifier=FILE` for a
        model other than the shipped one):
        `scripts/mosaicbeam detect --groundTruth=../shared/data/plates-world/labels/valid.jsonl --faceModel=none`
        """,
        commandLine,
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        images.size(),
        String.join("; ", sources),
        o.getNetModel(),
        o.getNetSteps() > 0
            ? "`scripts/train-plate-net.py` (PyTorch), "
                + o.getNetSteps()
                + " steps of 16 crops of 320×320 px, exported to ONNX"
            : "kept as it was (`--netSteps=0`)",
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        PlateSamples.COPIES,
        TrainPlatesOptions.seed(o),
        o.getEpochs(),
        PlateVerifier.CROP_WIDTH,
        PlateVerifier.CROP_HEIGHT,
        attribution(sources),
        cv.isEmpty() ? "(skipped)\n" : cv,
        fitted);
  }

  /** What a model trained on plates-world must carry (its README), when it was used. */
  private static String attribution(List<String> sources) {
    return sources.stream().anyMatch(s -> s.contains("plates-world"))
        ? """

        Attribution: trained on plates-world, which includes Open Images photos (CC BY 2.0, each
        photo's Flickr author as listed in Open Images' metadata under its image ID) with boxes by
        Google (CC BY 4.0), via the Roboflow export GitHub `unknowncz/LP_recognition` @
        `ecd25180ff577a39e4cf06cabb123771d503422c`, and the Kaggle "Car License Plate Detection"
        set (andrewmvd, CC0 1.0) via GitHub `Dennis-Acker-Consulting/CarPlateDataset` @
        `83a038d4559ca1fb56a3c5cfea6cf4be0b517b10`; and on plates-dev (MIT, Copyright (c) 2020
        Robert Lucian Chiriac, GitHub `RobertLucian/license-plate-dataset`).
        """
        : "";
  }
}
