package org.mosaicbeam.evaluation;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.evaluation.FaceSources.Box;
import org.mosaicbeam.evaluation.FaceSources.Photo;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.video.Ff;

/**
 * {@code mosaicbeam make-motion-set}: short 1920x1080 30 fps clips in which real faces (the Debian
 * photos of {@link FaceSources}) and real plates (cut from an annotated set) move over real street
 * frames the way they move in dashcam and phone video, with every object's box on every frame in
 * {@code truth.jsonl}. {@code mosaicbeam coverage} scores an anonymize run's audit trail against
 * it. One clip per kind of motion, one face and one plate in each; the same seed and sources give
 * the same clips.
 */
public final class MotionSet {
  static final int WIDTH = 1920;
  static final int HEIGHT = 1080;
  static final int FPS = 30;

  /** Room around the frame for objects partly outside it and for the camera's shake. */
  private static final int PAD = 360;

  /** An object counts on a frame once this share of its box is inside the frame. */
  static final double MIN_VISIBLE = 0.5;

  private MotionSet() {}

  /** Where an object is on a frame, in scene pixels (the frame is the scene seen by the camera). */
  record Place(double cx, double cy, double width) {}

  /** How an object moves. */
  interface Path {
    Place at(int frame);
  }

  /** The camera's offset into the scene on a frame (shake and pan), in pixels. */
  interface Camera {
    double[] at(int frame);
  }

  /** Something to paste: a source picture, the crop to take, the object's box inside it. */
  record Source(String label, Mat photo, Box crop, Box object) {}

  record Mover(Source source, Path path) {}

  record Clip(String kind, Camera camera, List<Mover> movers) {}

  public static void main(String[] args) throws Exception {
    MotionSetOptions o = Cli.parse(args, MotionSetOptions.class);
    if (o != null) {
      write(o);
    }
  }

  /** Writes the clips and truth.jsonl; returns the truth lines. */
  public static List<String> write(MotionSetOptions o) throws Exception {
    File out = new File(o.getOutput());
    out.mkdirs();
    Random random = new Random(MotionSetOptions.seed(o));
    List<File> streets = FaceSet.frames(o.getFrames());
    List<Source> faces = faceSources();
    List<Cut> plates = plateCuts(o.getPlates());
    int frames = o.getSeconds() * FPS;
    List<String> truth = new ArrayList<>();
    String[] kinds = o.getKinds().split(",");
    Progress progress = new Progress("make-motion-set: frames", (long) kinds.length * frames);
    for (String kind : kinds) {
      Clip clip =
          clip(
              kind.trim().toLowerCase(Locale.ROOT),
              frames,
              faces.get(random.nextInt(faces.size())),
              plateSource(plates.get(random.nextInt(plates.size()))),
              random);
      File street = streets.get(random.nextInt(streets.size()));
      truth.addAll(render(clip, street, frames, new File(out, clip.kind() + ".mp4"), progress));
    }
    AtomicOutput.write(
        new File(out, "truth.jsonl").getPath(),
        "application/jsonl",
        w -> {
          for (String l : truth) {
            w.write((l + "\n").getBytes(StandardCharsets.UTF_8));
          }
        });
    System.err.printf(
        "make-motion-set: %d clips of %d frames, %d object-frames -> %s/truth.jsonl%n",
        kinds.length, frames, truth.size(), out);
    return truth;
  }

  /**
   * The motion of each kind, for {@code n} frames: the face and the plate move as a pedestrian, a
   * car or a camera makes them move.
   */
  static Clip clip(String kind, int n, Source face, Source plate, Random random) {
    Camera still = i -> new double[] {0, 0};
    return switch (kind) {
      // slow drift: a parked car and a bystander while the dashcam creeps forward
      case "drift" ->
          new Clip(
              kind,
              still,
              List.of(
                  new Mover(face, i -> new Place(500 + 1.5 * i, 420 + 0.5 * i, 60)),
                  new Mover(plate, i -> new Place(1300 - 2.0 * i, 760, 150))));
      // a car overtaking: fast to the right, smaller as it pulls away; its driver with it
      case "overtake" ->
          new Clip(
              kind,
              still,
              List.of(
                  new Mover(face, i -> new Place(260 + 32 * i, 520, 80 - 0.3 * i)),
                  new Mover(plate, i -> new Place(200 + 32 * i, 800 - i, 230 - 1.2 * i))));
      // a pedestrian crossing, bobbing as they walk, in front of a parked car
      case "crossing" ->
          new Clip(
              kind,
              still,
              List.of(
                  new Mover(face, i -> new Place(300 + 14 * i, 450 + 6 * Math.sin(i * 0.6), 56)),
                  new Mover(plate, i -> new Place(1400, 820, 130))));
      // the camera approaching: both grow 2.5x and move away from the centre
      case "zoom" ->
          new Clip(
              kind,
              still,
              List.of(
                  new Mover(face, i -> zoom(760, 420, 40, i, n)),
                  new Mover(plate, i -> zoom(1160, 640, 90, i, n))));
      // a shaky phone pan: the whole scene sways, with a jolt on every frame
      case "shake" -> {
        double[][] jolts = new double[n][2];
        for (double[] j : jolts) {
          j[0] = 12 * (2 * random.nextDouble() - 1);
          j[1] = 12 * (2 * random.nextDouble() - 1);
        }
        yield new Clip(
            kind,
            i ->
                new double[] {
                  220 * Math.sin(2 * Math.PI * i / 75) + jolts[i][0],
                  60 * Math.sin(2 * Math.PI * i / 50) + jolts[i][1]
                },
            List.of(
                new Mover(face, i -> new Place(800, 480, 70)),
                new Mover(plate, i -> new Place(1150, 760, 160))));
      }
      // objects entering at the frame's edges: a pedestrian from the left, a car from the right
      case "enter" ->
          new Clip(
              kind,
              still,
              List.of(
                  new Mover(face, i -> new Place(-60 + 12 * i, 500, 64)),
                  new Mover(plate, i -> new Place(WIDTH + 100 - 18 * i, 780, 150))));
      default ->
          throw new UserError(
              "--kinds: unknown kind '"
                  + kind
                  + "' (drift, overtake, crossing, zoom, shake, enter)");
    };
  }

  private static Place zoom(double x, double y, double width, int i, int n) {
    double s = 1 + 1.5 * i / Math.max(1, n - 1);
    return new Place(
        WIDTH / 2.0 + (x - WIDTH / 2.0) * s, HEIGHT / 2.0 + (y - HEIGHT / 2.0) * s, width * s);
  }

  /** Renders a clip to {@code file}; returns its truth lines. */
  static List<String> render(Clip clip, File street, int n, File file, Progress progress)
      throws Exception {
    List<String> truth = new ArrayList<>();
    Ff.init();
    try (Mat photo = imread(street.getPath());
        Mat scene = new Mat();
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file, WIDTH, HEIGHT, 0);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      if (photo.empty()) {
        throw new UserError(street + ": not a readable image");
      }
      // the scene: the street frame enlarged so that the camera can move over it
      resize(photo, scene, new Size(WIDTH + 4 * PAD, HEIGHT + 4 * PAD), 0, 0, INTER_LINEAR);
      r.setFormat("mp4");
      r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
      r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      r.setFrameRate(FPS);
      r.setVideoBitrate(16_000_000); // near-lossless: the objects, not the codec, are tested
      r.setVideoOption("crf", "16");
      r.setVideoOption("preset", "veryfast");
      r.start();
      for (int i = 0; i < n; i++) {
        double[] cam = clip.camera().at(i);
        int ox = (int) Math.round(Math.max(-PAD, Math.min(PAD, cam[0])));
        int oy = (int) Math.round(Math.max(-PAD, Math.min(PAD, cam[1])));
        try (Rect window = new Rect(PAD + ox, PAD + oy, WIDTH + 2 * PAD, HEIGHT + 2 * PAD);
            Mat view = new Mat(scene, window);
            Mat canvas = view.clone();
            Rect inner = new Rect(PAD, PAD, WIDTH, HEIGHT)) {
          for (int k = 0; k < clip.movers().size(); k++) {
            Mover m = clip.movers().get(k);
            Place p = m.path().at(i);
            Detection box =
                paste(m.source(), p.cx() - ox + PAD, p.cy() - oy + PAD, p.width(), canvas);
            if (box != null) {
              Detection full =
                  new Detection(
                      box.label(), 1, box.x() - PAD, box.y() - PAD, box.width(), box.height());
              String line = truthLine(clip.kind(), i, k, full);
              if (line != null) {
                truth.add(line);
              }
            }
          }
          try (Mat frame = new Mat(canvas, inner).clone()) {
            r.record(conv.convert(frame));
          }
        }
        progress.add(1);
      }
      r.stop();
    }
    return truth;
  }

  /**
   * Pastes the source with its object centred at ({@code cx}, {@code cy}) of the canvas and {@code
   * width} wide; returns the object's box on the canvas, or null when it does not fit on it.
   */
  private static Detection paste(Source s, double cx, double cy, double width, Mat canvas) {
    double scale = width / s.object().w();
    Box size = FacePaste.scaled(s.crop(), scale);
    int px = (int) Math.round(cx - (s.object().x() - s.crop().x() + s.object().w() / 2.0) * scale);
    int py = (int) Math.round(cy - (s.object().y() - s.crop().y() + s.object().h() / 2.0) * scale);
    if (px < 0 || py < 0 || px + size.w() > canvas.cols() || py + size.h() > canvas.rows()) {
      return null;
    }
    Box b =
        FacePaste.paste(
            s.photo(), s.crop(), s.object(), scale, canvas, px, py, new FacePaste.Look(0, 1, 0));
    return new Detection(s.label(), 1, b.x(), b.y(), b.w(), b.h());
  }

  /** The truth line of an object on a frame, or null when less than half of it is in view. */
  static String truthLine(String kind, int frame, int object, Detection full) {
    int x0 = Math.max(0, full.x());
    int y0 = Math.max(0, full.y());
    int x1 = Math.min(WIDTH, full.x() + full.width());
    int y1 = Math.min(HEIGHT, full.y() + full.height());
    if (x1 <= x0
        || y1 <= y0
        || (double) (x1 - x0) * (y1 - y0) < MIN_VISIBLE * full.width() * full.height()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "{\"clip\": \"%s.mp4\", \"kind\": \"%s\", \"frame\": %d, \"object\": %d, \"label\": \"%s\","
            + " \"box\": [%d, %d, %d, %d]}",
        kind,
        kind,
        frame,
        object,
        full.label(),
        x0,
        y0,
        x1 - x0,
        y1 - y0);
  }

  /** The pasteable faces of the Debian photos, each with its head-and-shoulders crop. */
  private static List<Source> faceSources() {
    List<Source> out = new ArrayList<>();
    for (Photo p : FaceSources.PHOTOS) {
      if (p.pasteFaces().isEmpty()) {
        continue;
      }
      Mat image = FaceSet.readPhoto(p.path());
      Box usable = p.usable() != null ? p.usable() : new Box(0, 0, image.cols(), image.rows());
      for (Box f : p.pasteFaces()) {
        if (f.w() >= 64) { // the zoom grows a face to 100 px: no more than 1.5x upscaling
          out.add(new Source(Detection.FACE, image, FacePaste.cropAround(f, usable), f));
        }
      }
    }
    return out;
  }

  /** An annotated plate in a picture. */
  record Cut(File file, Detection plate) {}

  /** The plates at least 90 px wide of a labels file. */
  private static List<Cut> plateCuts(String given) {
    File labels = DevData.orShared(given, "plates-world/labels/train.jsonl");
    if (!labels.isFile()) {
      throw new UserError(labels + ": no such labels file (pass --plates=LABELS.jsonl)");
    }
    List<Cut> out = new ArrayList<>();
    for (GroundTruth.Image image : GroundTruth.read(labels)) {
      for (Detection p : image.plates()) {
        if (p.width() >= 90) {
          out.add(new Cut(image.file(), p));
        }
      }
    }
    if (out.isEmpty()) {
      throw new UserError(labels + ": no annotated plate 90 px or wider to move");
    }
    return out;
  }

  /** The plate with a margin of its car around it. */
  private static Source plateSource(Cut c) {
    Mat photo = imread(c.file().getPath());
    if (photo.empty()) {
      throw new UserError(c.file() + ": not a readable image");
    }
    Detection p = c.plate();
    int x0 = Math.max(0, p.x() - p.width() / 3);
    int y0 = Math.max(0, p.y() - p.height());
    int x1 = Math.min(photo.cols(), p.x() + p.width() + p.width() / 3);
    int y1 = Math.min(photo.rows(), p.y() + 2 * p.height());
    return new Source(
        Detection.PLATE,
        photo,
        new Box(x0, y0, x1 - x0, y1 - y0),
        new Box(p.x(), p.y(), p.width(), p.height()));
  }
}
