package org.mosaicbeam.evaluation;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.detection.DetectorOptions;
import org.mosaicbeam.detection.Detectors;
import org.mosaicbeam.model.Boxes;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;

/**
 * The face set generator on real data: one plates-dev street frame (a test fixture) and the Debian
 * photos (installed by scripts/setup).
 */
class FaceSetTest {
  static final File STREET =
      new File("src/test/resources/dev-data/plates-dev/images/train/dayride_type1_001_t1054.jpg");

  static FaceSetOptions options(Path out, Path frames, long seed) {
    return PipelineOptionsFactory.fromArgs(
            "--output=" + out,
            "--frames=" + frames,
            "--frames720=3",
            "--frames1080=1",
            "--seed=" + seed)
        .as(FaceSetOptions.class);
  }

  /** A frames folder holding only {@link #STREET}, so every composite starts from it. */
  static Path oneFrame(Path dir) throws Exception {
    Path frames = Files.createDirectories(dir.resolve("frames"));
    Files.copy(STREET.toPath(), frames.resolve(STREET.getName()));
    return frames;
  }

  @Test
  void theSameSeedGivesTheSameFilesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
    Path frames = oneFrame(dir);
    List<String> a = FaceSet.write(options(dir.resolve("a"), frames, 11));
    List<String> b = FaceSet.write(options(dir.resolve("b"), frames, 11));
    List<String> c = FaceSet.write(options(dir.resolve("c"), frames, 12));
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(a, Files.readAllLines(dir.resolve("a/labels/faces.jsonl")));
    for (String name : List.of("street720_000.jpg", "street1080_000.jpg", "photo_astronaut.jpg")) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("a/images/" + name)),
          Files.readAllBytes(dir.resolve("b/images/" + name)),
          name);
    }
  }

  @Test
  void eachBoxLiesOnAPastedFace(@TempDir Path dir) throws Exception {
    FaceSet.write(options(dir.resolve("set"), oneFrame(dir), 11));
    List<GroundTruth.Image> set = GroundTruth.read(dir.resolve("set/labels/faces.jsonl").toFile());
    DetectorOptions detect =
        PipelineOptionsFactory.fromArgs("--plateModel=none").as(DetectorOptions.class);
    int large = 0;
    int largeFound = 0;
    int composites = 0;
    try (Detector faces = Detectors.create(detect)) {
      for (GroundTruth.Image image : set) {
        if (!image.file().getName().startsWith("street")) {
          continue;
        }
        composites++;
        Mat pasted = imread(image.file().getPath());
        Mat street = imread(STREET.getPath());
        resize(street, street, new Size(pasted.cols(), pasted.rows()), 0, 0, INTER_LINEAR);
        assertTrue(image.faces().size() >= 3, image.toString());
        List<Detection> found = faces.detect(pasted);
        for (Detection face : image.faces()) {
          assertTrue(face.width() >= 12 && face.width() <= 200, face.toString());
          // the street frame was replaced inside the box...
          assertTrue(meanDifference(pasted, street, face) > 20, image.file() + " " + face);
          if (face.width() >= 50) {
            large++;
            // ...by a face: the face detector finds the large ones right there
            if (found.stream().anyMatch(d -> Boxes.iou(d, face) >= 0.5)) {
              largeFound++;
            }
          }
        }
        // and left alone away from the pasted heads (JPEG noise only)
        for (Detection free : freeStrips(image.faces(), pasted.cols(), pasted.rows())) {
          assertTrue(meanDifference(pasted, street, free) < 4, image.file() + " " + free);
        }
      }
    }
    assertEquals(4, composites);
    assertTrue(large >= 3 && largeFound >= large - 1, largeFound + " of " + large);
  }

  /** Full-width rows of the frame that no pasted head (face plus its crop margins) touches. */
  static List<Detection> freeStrips(List<Detection> faces, int width, int height) {
    boolean[] used = new boolean[height];
    for (Detection f : faces) {
      int y0 = Math.max(0, f.y() - f.height());
      int y1 = Math.min(height, f.y() + 3 * f.height());
      for (int y = y0; y < y1; y++) {
        used[y] = true;
      }
    }
    List<Detection> out = new ArrayList<>();
    for (int y = 0; y < height; y++) {
      int start = y;
      while (y < height && !used[y]) {
        y++;
      }
      if (y - start >= 16) {
        out.add(new Detection("free", 1, 0, start + 4, width, y - start - 8));
      }
    }
    return out;
  }

  static double meanDifference(Mat a, Mat b, Detection box) {
    UByteIndexer ia = a.createIndexer();
    UByteIndexer ib = b.createIndexer();
    long sum = 0;
    for (int y = box.y(); y < box.y() + box.height(); y++) {
      for (int x = box.x(); x < box.x() + box.width(); x++) {
        for (int c = 0; c < 3; c++) {
          sum += Math.abs(ia.get(y, x, c) - ib.get(y, x, c));
        }
      }
    }
    return sum / (3.0 * box.width() * box.height());
  }
}
