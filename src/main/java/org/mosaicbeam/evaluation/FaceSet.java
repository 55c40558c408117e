package org.mosaicbeam.evaluation;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.evaluation.FaceSources.Box;
import org.mosaicbeam.evaluation.FaceSources.Photo;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.Progress;

/**
 * {@code mosaicbeam make-face-set}: a face evaluation set built only from what this project can
 * reach. Real faces from Debian's sample photographs ({@link FaceSources}) are pasted, as
 * head-and-shoulders crops with faded edges, into real street frames (plates-dev's train split) at
 * 1280×720 and, upscaled, at 1920×1080: 3–5 heads per frame, none overlapping, each face 12–200 px
 * wide, each somewhat blurred, flattened and darkened or lightened toward the frame ({@link
 * FacePaste.Look}). Widths are drawn band by band (12–20, 20–30, 30–50, 50–100, 100–200 px, each
 * band equally often) so every band of the per-size report holds about a fifth of the faces. The
 * source photos themselves join as they are. Fixed seed: the same inputs give the same files.
 * Writes {@code OUTPUT/images/*.jpg} and {@code OUTPUT/labels/faces.jsonl} (the layout of
 * plates-dev's labels, "faces" for "plates"), which {@code detect --groundTruth} scores.
 */
public final class FaceSet {
  static final int[][] BANDS = {{12, 20}, {20, 30}, {30, 50}, {50, 100}, {100, 201}};
  // a face is never enlarged more than this, so large faces come from large originals
  static final double MAX_UPSCALE = 1.25;
  // Look ranges, each drawn uniformly per head: up to a 1.2 px blur (the street frames are softer
  // than the portraits), contrast down to 50 %, the mean up to halfway to the frame's (many frames
  // are at night, far darker than a studio portrait)
  static final double MAX_BLUR = 1.2;
  static final double MAX_CONTRAST_LOSS = 0.5;
  static final double MAX_TO_FRAME = 0.5;
  private static final int JPEG_QUALITY = 95;
  private static final int PLACEMENT_TRIES = 200;

  private FaceSet() {}

  public static void main(String[] args) throws Exception {
    FaceSetOptions options = Cli.parse(args, FaceSetOptions.class);
    if (options != null) {
      write(options);
    }
  }

  /** Writes the set; returns its label lines. */
  public static List<String> write(FaceSetOptions o) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    String out = o.getOutput().replaceAll("/+$", "");
    new File(out, "images").mkdirs();
    new File(out, "labels").mkdirs();
    Map<Photo, Mat> photos = new LinkedHashMap<>();
    for (Photo p : FaceSources.PHOTOS) {
      photos.put(p, readPhoto(p.path()));
    }
    List<File> frames = frames(o.getFrames());
    Random random = new Random(FaceSetOptions.seed(o));
    List<File> order = new ArrayList<>(frames);
    Collections.shuffle(order, random);

    List<String> lines = new ArrayList<>();
    int faceCount = 0;
    int total = o.getFrames720() + o.getFrames1080();
    Progress progress = new Progress("make-face-set: frames", total);
    for (int i = 0; i < total; i++) {
      boolean hd = i >= o.getFrames720();
      String name =
          String.format(
              "images/street%s_%03d.jpg", hd ? "1080" : "720", hd ? i - o.getFrames720() : i);
      try (Mat street = imread(order.get(i % order.size()).getPath());
          Mat frame = new Mat()) {
        resize(street, frame, hd ? new Size(1920, 1080) : new Size(1280, 720), 0, 0, INTER_LINEAR);
        List<Box> faces = pasteHeads(frame, photos, random);
        faceCount += faces.size();
        writeJpeg(frame, out + "/" + name);
        lines.add(line(name, frame.cols(), frame.rows(), faces));
      }
      progress.add(1);
    }
    if (o.getPhotos()) {
      for (Map.Entry<Photo, Mat> p : photos.entrySet()) {
        if (p.getKey().asIs()) {
          String stem = new File(p.getKey().path()).getName().replaceAll("\\.[^.]*$", "");
          String name = "images/photo_" + stem + ".jpg";
          writeJpeg(p.getValue(), out + "/" + name);
          lines.add(line(name, p.getValue().cols(), p.getValue().rows(), p.getKey().faces()));
          faceCount += p.getKey().faces().size();
        }
      }
    }
    AtomicOutput.write(
        out + "/labels/faces.jsonl",
        "application/jsonl",
        w -> {
          for (String l : lines) {
            w.write((l + "\n").getBytes(StandardCharsets.UTF_8));
          }
        });
    photos.values().forEach(Mat::close);
    System.err.printf(
        "make-face-set: %d images, %d faces -> %s/labels/faces.jsonl%n",
        lines.size(), faceCount, out);
    return lines;
  }

  /** Pastes 3–5 heads where they fit without overlapping; returns their face boxes. */
  static List<Box> pasteHeads(Mat frame, Map<Photo, Mat> photos, Random random) {
    int heads = 3 + random.nextInt(3);
    List<Box> placed = new ArrayList<>(); // crops in frame coordinates
    List<Box> faces = new ArrayList<>();
    for (int k = 0; k < heads; k++) {
      int[] band = BANDS[random.nextInt(BANDS.length)];
      int width = band[0] + random.nextInt(band[1] - band[0]);
      List<Map.Entry<Photo, Box>> sources = new ArrayList<>();
      for (Photo p : photos.keySet()) {
        for (Box f : p.pasteFaces()) {
          if (f.w() * MAX_UPSCALE >= width) {
            sources.add(Map.entry(p, f));
          }
        }
      }
      Map.Entry<Photo, Box> source = sources.get(random.nextInt(sources.size()));
      Photo photo = source.getKey();
      Mat image = photos.get(photo);
      Box face = source.getValue();
      Box usable =
          photo.usable() != null ? photo.usable() : new Box(0, 0, image.cols(), image.rows());
      Box crop = FacePaste.cropAround(face, usable);
      double scale = (double) width / face.w();
      Box size = FacePaste.scaled(crop, scale);
      FacePaste.Look look =
          new FacePaste.Look(
              MAX_BLUR * random.nextDouble(),
              1 - MAX_CONTRAST_LOSS * random.nextDouble(),
              MAX_TO_FRAME * random.nextDouble());
      if (size.w() > frame.cols() || size.h() > frame.rows()) {
        continue;
      }
      for (int t = 0; t < PLACEMENT_TRIES; t++) {
        Box at =
            new Box(
                random.nextInt(frame.cols() - size.w() + 1),
                random.nextInt(frame.rows() - size.h() + 1),
                size.w(),
                size.h());
        if (placed.stream().noneMatch(p -> overlap(p, at))) {
          placed.add(at);
          faces.add(FacePaste.paste(image, crop, face, scale, frame, at.x(), at.y(), look));
          break;
        }
      }
    }
    return faces;
  }

  private static boolean overlap(Box a, Box b) {
    return a.x() < b.x() + b.w()
        && b.x() < a.x() + a.w()
        && a.y() < b.y() + b.h()
        && b.y() < a.y() + a.h();
  }

  /** {@code --frames} ({@code given}), or plates-dev's train split beside the checkout; sorted. */
  static List<File> frames(String given) {
    File dir = DevData.orShared(given, "plates-dev/images/train");
    File[] files = dir.listFiles((d, n) -> n.toLowerCase().endsWith(".jpg"));
    if (files == null || files.length == 0) {
      throw new UserError("no street frames (*.jpg) in " + dir + " (pass --frames=DIR)");
    }
    Arrays.sort(files);
    return List.of(files);
  }

  static Mat readPhoto(String path) {
    Mat m = new File(path).isFile() ? imread(path) : null;
    if (m == null || m.empty()) {
      throw new UserError(
          path
              + " is missing: run scripts/setup (installs the Debian packages "
              + "opencv-doc, python-matplotlib-data and python3-imageio, whose photos the set uses)");
    }
    return m;
  }

  private static void writeJpeg(Mat image, String path) throws IOException {
    try (BytePointer jpg = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, JPEG_QUALITY)) {
      imencode(".jpg", image, jpg, params);
      byte[] bytes = new byte[(int) jpg.limit()];
      jpg.get(bytes);
      AtomicOutput.write(path, "image/jpeg", w -> w.write(bytes));
    }
  }

  /** One label line, formatted as plates-dev's. */
  static String line(String file, int width, int height, List<Box> faces) {
    return String.format(
        "{\"file\": \"%s\", \"width\": %d, \"height\": %d, \"faces\": [%s]}",
        file,
        width,
        height,
        faces.stream()
            .map(b -> "[" + b.x() + ", " + b.y() + ", " + b.w() + ", " + b.h() + "]")
            .collect(Collectors.joining(", ")));
  }
}
