package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.cli.Main;

/**
 * Runs the launcher's entry point on generated OID-shaped data and checks every output against what
 * the CSVs and the image files say, computed here independently with Commons CSV and ImageIO.
 */
class DatasetEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> CLASSES =
      List.of("Vehicle registration plate", "Car", "Bus", "Truck", "Taxi", "Motorcycle", "Van");
  static final Map<String, Integer> CLASS_ID =
      Map.of(
          "/m/01jfm_",
          0,
          "/m/0k4j",
          1,
          "/m/01bjv",
          2,
          "/m/07r04",
          3,
          "/m/0pg52",
          4,
          "/m/04_sv",
          5,
          "/m/0h2r6",
          6);

  @TempDir static Path dir;
  static Path sample;

  /** Expected boxes per ImageID (valid rows of the wanted classes), from a plain CSV read. */
  static Map<String, List<double[]>> expected = new TreeMap<>();

  static Set<String> withPlate = new HashSet<>();
  static int badRows;

  @BeforeAll
  static void generate() throws Throwable {
    sample = dir.resolve("sample");
    Main.main(
        new String[] {
          "generate-oid-sample",
          "--rows=30000",
          "--output=" + sample,
          "--seed=7",
          "--malformedRows=5",
          "--missingImages=1"
        });
    for (String f :
        List.of(
            "oidv6-train-annotations-bbox.csv",
            "validation-annotations-bbox.csv",
            "test-annotations-bbox.csv")) {
      try (Reader r = Files.newBufferedReader(sample.resolve(f))) {
        for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().build().parse(r)) {
          Integer classId = CLASS_ID.get(row.get("LabelName"));
          if (classId == null) {
            continue;
          }
          if (!row.isConsistent()) {
            badRows++; // wrong column count
            continue;
          }
          try {
            double[] box = {
              classId,
              Double.parseDouble(row.get("XMin")),
              Double.parseDouble(row.get("XMax")),
              Double.parseDouble(row.get("YMin")),
              Double.parseDouble(row.get("YMax"))
            };
            if (Double.isNaN(box[1]) || box[1] > box[2] || box[2] > 1) {
              badRows++;
              continue;
            }
            expected.computeIfAbsent(row.get("ImageID"), k -> new ArrayList<>()).add(box);
            if (classId == 0) {
              withPlate.add(row.get("ImageID"));
            }
          } catch (NumberFormatException e) {
            badRows++; // non-numeric
          }
        }
      }
    }
    assertEquals(5, badRows);
    assertTrue(withPlate.size() > 10, "the sample must hold plate images: " + withPlate.size());
  }

  private Path run(String format, String... extra) throws Throwable {
    Path out = dir.resolve("out-" + format + "-" + extra.length);
    List<String> args =
        new ArrayList<>(
            List.of(
                "dataset",
                "--annotations="
                    + sample
                    + "/oidv6-train-annotations-bbox.csv,"
                    + sample
                    + "/*-annotations-bbox.csv",
                "--classDescriptions=" + sample + "/class-descriptions-boxable.csv",
                "--classes=" + String.join(",", CLASSES),
                "--images=" + sample + "/images",
                "--sourceRefPrefix=s3://bucket/oid/",
                "--jobName=plates",
                "--output=" + out,
                "--format=" + format,
                "--creationDate=2026-01-02T03:04:05Z",
                "--shardBytes=400000"));
    args.addAll(List.of(extra));
    Main.main(args.toArray(new String[0]));
    return out;
  }

  @Test
  void groundTruthManifestLineByLine() throws Throwable {
    Path out = run("groundtruth");
    List<String> lines = Files.readAllLines(out.resolve("manifest.jsonl"));
    String missing = missingImage();
    assertEquals(withPlate.size() - 1, lines.size()); // every plate image but the missing one
    String previous = "";
    for (String line : lines) {
      JsonNode m = JSON.readTree(line);
      List<String> fields = new ArrayList<>();
      m.fieldNames().forEachRemaining(fields::add);
      assertEquals(List.of("source-ref", "plates", "plates-metadata"), fields);
      String ref = m.get("source-ref").asText();
      assertTrue(ref.startsWith("s3://bucket/oid/") && ref.endsWith(".jpg"), ref);
      String id = ref.substring("s3://bucket/oid/".length(), ref.length() - 4);
      assertTrue(id.compareTo(previous) > 0, "sorted by ImageID");
      previous = id;
      assertTrue(withPlate.contains(id));
      assertFalse(id.equals(missing));

      BufferedImage image = ImageIO.read(sample.resolve("images/" + id + ".jpg").toFile());
      JsonNode size = m.get("plates").get("image_size");
      assertEquals(1, size.size());
      assertEquals(image.getWidth(), size.get(0).get("width").asInt());
      assertEquals(image.getHeight(), size.get(0).get("height").asInt());
      assertEquals(image.getRaster().getNumBands(), size.get(0).get("depth").asInt());

      List<String> got = new ArrayList<>();
      Set<String> presentIds = new HashSet<>();
      for (JsonNode a : m.get("plates").get("annotations")) {
        assertEquals(List.of("class_id", "left", "top", "width", "height"), names(a));
        int left = a.get("left").asInt();
        int top = a.get("top").asInt();
        int w = a.get("width").asInt();
        int h = a.get("height").asInt();
        assertTrue(
            left >= 0
                && top >= 0
                && w >= 1
                && h >= 1
                && left + w <= image.getWidth()
                && top + h <= image.getHeight(),
            line);
        got.add(a.get("class_id").asInt() + ":" + left + "," + top + "," + w + "," + h);
        presentIds.add(a.get("class_id").asText());
      }
      List<String> want = new ArrayList<>();
      for (double[] b : expected.get(id)) {
        int[] x = pixels(b[1], b[2], image.getWidth());
        int[] y = pixels(b[3], b[4], image.getHeight());
        want.add((int) b[0] + ":" + x[0] + "," + y[0] + "," + x[1] + "," + y[1]);
      }
      got.sort(null);
      want.sort(null);
      assertEquals(want, got, id);

      JsonNode meta = m.get("plates-metadata");
      assertEquals("labeling-job/plates", meta.get("job-name").asText());
      assertEquals("yes", meta.get("human-annotated").asText());
      assertEquals("groundtruth/object-detection", meta.get("type").asText());
      assertEquals("2026-01-02T03:04:05Z", meta.get("creation-date").asText());
      assertEquals(got.size(), meta.get("objects").size());
      meta.get("objects").forEach(o -> assertEquals(1.0, o.get("confidence").asDouble()));
      assertEquals(presentIds, new HashSet<>(names(meta.get("class-map"))));
      meta.get("class-map")
          .fields()
          .forEachRemaining(
              e -> assertEquals(CLASSES.get(Integer.parseInt(e.getKey())), e.getValue().asText()));
    }

    List<String> images = Files.readAllLines(out.resolve("images.txt"));
    assertEquals(lines.size(), images.size());
    images.forEach(p -> assertTrue(Files.isRegularFile(Path.of(p)), p));

    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertEquals(withPlate.size(), report.get("images").get("with_required_class").asInt());
    assertEquals(lines.size(), report.get("images").get("in_dataset").asInt());
    assertEquals(1, report.get("images").get("missing_or_unreadable").asInt());
    assertEquals(missing, report.get("left_out").get(0).get("image").asText());
    assertEquals("missing", report.get("left_out").get(0).get("reasons").get(0).asText());
    assertEquals(5, report.get("dead_letter_rows").asInt());

    List<CSVRecord> dead;
    try (Reader r = Files.newBufferedReader(out.resolve("dead-letters.csv"))) {
      dead = CSVFormat.DEFAULT.builder().setHeader().build().parse(r).getRecords();
    }
    assertEquals(5, dead.size());
    for (CSVRecord d : dead) {
      List<String> file = Files.readAllLines(Path.of(d.get("file")));
      assertEquals(
          file.get(Integer.parseInt(d.get("line")) - 1),
          d.get("row"),
          "line number points at the row");
    }
    assertTrue(dead.stream().anyMatch(d -> d.get("reason").equals("XMin 0.6 > XMax 0.2")));
    assertTrue(
        dead.stream().anyMatch(d -> d.get("reason").equals("expected 21 columns, found 20")));
    try (Stream<Path> files = Files.list(out)) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "no temp files left");
    }
  }

  @Test
  void yoloAndCocoFormats() throws Throwable {
    Path yolo = run("yolo", "--maxImages=5");
    assertEquals(String.join("\n", CLASSES) + "\n", Files.readString(yolo.resolve("classes.txt")));
    List<Path> labels;
    try (Stream<Path> files = Files.list(yolo.resolve("labels"))) {
      labels = files.sorted().toList();
    }
    assertEquals(5, labels.size());
    for (Path label : labels) {
      String id = label.getFileName().toString().replace(".txt", "");
      List<String> rows = Files.readAllLines(label);
      assertEquals(expected.get(id).size(), rows.size());
      for (String row : rows) {
        String[] v = row.split(" ");
        assertEquals(5, v.length);
        for (int i = 1; i < 5; i++) {
          double d = Double.parseDouble(v[i]);
          assertTrue(d > 0 && d <= 1, row);
        }
      }
    }

    Path coco = run("coco");
    JsonNode c = JSON.readTree(coco.resolve("coco.json").toFile());
    assertEquals(withPlate.size() - 1, c.get("images").size());
    assertEquals(CLASSES.size(), c.get("categories").size());
    int boxes = 0;
    for (JsonNode image : c.get("images")) {
      String id = image.get("file_name").asText().replace(".jpg", "");
      boxes += expected.get(id).size();
    }
    assertEquals(boxes, c.get("annotations").size());
    for (JsonNode a : c.get("annotations")) {
      assertEquals(4, a.get("bbox").size());
      assertTrue(
          a.get("image_id").asInt() >= 1 && a.get("image_id").asInt() <= c.get("images").size());
    }
  }

  private static String missingImage() {
    for (String id : withPlate) {
      if (!Files.exists(sample.resolve("images/" + id + ".jpg"))) {
        return id;
      }
    }
    return null;
  }

  /** The documented rounding, written out independently of PixelBox. */
  private static int[] pixels(double min, double max, int size) {
    int a = (int) Math.max(0, Math.min(size, Math.floor(min * size + 0.5)));
    int b = (int) Math.max(0, Math.min(size, Math.floor(max * size + 0.5)));
    int len = Math.max(1, b - a);
    return new int[] {Math.min(a, size - len), len};
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(out::add);
    return out;
  }
}
