package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact text of each output format for one known image, and the keep/leave-out decision. */
class OutputFormatsTest {
  static final ClassMap CLASSES =
      new ClassMap(
          List.of(
              new ClassMap.OutputClass(0, "/m/01jfm_", "Vehicle registration plate"),
              new ClassMap.OutputClass(1, "/m/0k4j", "Car"),
              new ClassMap.OutputClass(2, "/m/01bjv", "Bus")),
          "/m/01jfm_",
          "Vehicle registration plate");
  static final ImageLocation IMAGE =
      new ImageLocation(
          "00000000000000a1", "/data/images/00000000000000a1.jpg", 5000, "jpeg", 400, 200, 1, null);

  static ImageRecord record() {
    return JoinByImage.build(
        "00000000000000a1",
        List.of(
            new BoxRow("00000000000000a1", "/m/0k4j", 1.0, 0.0, 1.0, 0.0, 1.0, "train"),
            new BoxRow("00000000000000a1", "/m/01jfm_", 0.5, 0.5, 0.75, 0.25, 0.5, "train")),
        IMAGE,
        CLASSES,
        false);
  }

  @Test
  void groundTruthLine() {
    assertEquals(
        "{\"source-ref\":\"s3://b/p/00000000000000a1.jpg\",\"job\":{\"image_size\":[{\"width\":400,"
            + "\"height\":200,\"depth\":1}],\"annotations\":[{\"class_id\":0,\"left\":200,\"top\":50,\"width\":100,"
            + "\"height\":50},{\"class_id\":1,\"left\":0,\"top\":0,\"width\":400,\"height\":200}]},\"job-metadata\":"
            + "{\"objects\":[{\"confidence\":0.5},{\"confidence\":1.0}],\"class-map\":{\"0\":\"Vehicle registration "
            + "plate\",\"1\":\"Car\"},\"type\":\"groundtruth/object-detection\",\"human-annotated\":\"yes\","
            + "\"creation-date\":\"2026-01-02T03:04:05Z\",\"job-name\":\"labeling-job/job\"}}",
        GroundTruthManifest.line(record(), CLASSES, "job", "s3://b/p/", "2026-01-02T03:04:05Z"));
  }

  @Test
  void yolo() {
    assertEquals(
        "0 0.625000 0.375000 0.250000 0.250000\n1 0.500000 0.500000 1.000000 1.000000\n",
        YoloLabels.labels(record()).replace(System.lineSeparator(), "\n"));
    assertEquals("Vehicle registration plate\nCar\nBus\n", YoloLabels.classNames(CLASSES));
  }

  @Test
  void coco() {
    String json = CocoDataset.build(List.of(record()), CLASSES, "2026-01-02T03:04:05Z").toString();
    assertTrue(
        json.contains(
            "\"images\":[{\"id\":1,\"file_name\":\"00000000000000a1.jpg\",\"width\":400,\"height\":200}]"),
        json);
    assertTrue(
        json.contains(
            "{\"id\":1,\"image_id\":1,\"category_id\":0,\"bbox\":[200,50,100,50],\"area\":5000,\"iscrowd\":0}"),
        json);
    assertTrue(
        json.contains(
            "\"categories\":[{\"id\":0,\"name\":\"Vehicle registration plate\",\"supercategory\":\"object\"},"),
        json);
  }

  @Test
  void keepInvalidKeepsOnlyLimitBreakers() {
    ImageLocation tiny = new ImageLocation("x", "/x.jpg", 10, "jpeg", 32, 32, 3, null);
    List<BoxRow> rows = List.of(new BoxRow("x", "/m/01jfm_", 1, 0, 1, 0, 1, "train"));
    ImageRecord dropped = JoinByImage.build("x", rows, tiny, CLASSES, false);
    assertFalse(dropped.kept());
    assertEquals(
        List.of("width 32 px (must be 64-4096)", "height 32 px (must be 64-4096)"),
        dropped.problems());
    ImageRecord kept = JoinByImage.build("x", rows, tiny, CLASSES, true);
    assertTrue(kept.kept());
    assertEquals(dropped.problems(), kept.problems());
    ImageRecord noPlate =
        JoinByImage.build(
            "00000000000000a1",
            List.of(new BoxRow("00000000000000a1", "/m/0k4j", 1, 0, 1, 0, 1, "train")),
            IMAGE,
            CLASSES,
            true);
    assertFalse(noPlate.kept()); // --keepInvalid never keeps an image without the required class
    assertFalse(JoinByImage.build("m", rows, ImageLocation.missing("m"), CLASSES, true).kept());
  }
}
