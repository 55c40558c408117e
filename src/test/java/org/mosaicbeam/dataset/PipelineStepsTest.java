package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's steps on TestPipeline (immutability and encodability checks on): selection over
 * both schemas with BOM, CRLF and quotes, small shards, grouping/joining, and image location.
 */
class PipelineStepsTest {
  /** Hands each test its own TestPipeline (a parameter). */
  @RegisterExtension
  final transient TestPipelineExtension pipelines = TestPipelineExtension.create();

  @TempDir File tmp;

  private File newFolder(String name) {
    File dir = new File(tmp, name);
    assertTrue(dir.mkdir(), dir.getPath());
    return dir;
  }

  static final String PLATE = "/m/01jfm_";
  static final String CAR = "/m/0k4j";

  /**
   * train (21 columns, BOM, CRLF, quoted) + test (13 columns, LF): plates in images a1, b2 and c3.
   */
  private List<CsvShard> shards(long shardBytes) throws Exception {
    Path train = tmp.toPath().resolve("train.csv");
    String x = ",0,0,0,0,0,-1,-1,-1,-1,-1,-1,-1,-1";
    Files.writeString(
        train,
        "\uFEFF"
            + ShardingTest.TRAIN_HEADER
            + "\r\n"
            + "00000000000000a1,xclick,"
            + PLATE
            + ",1,0.1,0.2,0.3,0.4"
            + x
            + "\r\n"
            + "00000000000000a1,xclick,"
            + CAR
            + ",1,0.0,1.0,0.0,1.0"
            + x
            + "\r\n"
            + "00000000000000a1,xclick,/m/other,1,0.0,1.0,0.0,1.0"
            + x
            + "\r\n"
            + "00000000000000a1,xclick,"
            + CAR
            + ",1,0.7,0.2,0.0,1.0"
            + x
            + "\r\n" // XMin > XMax
            + "00000000000000a9,xclick,"
            + CAR
            + ",1,0.0,1.0,0.0,1.0"
            + x
            + "\r\n" // no plate
            + "00000000000000a9,xclick,"
            + PLATE
            + "x,1,0.0,1.0,0.0,1.0"
            + x
            + "\r\n" // longer MID
            + "\"00000000000000b2\",\"xclick\",\""
            + PLATE
            + "\",\"1\",\"0.5\",\"0.5\",\"0.5\",\"0.5\""
            + x
            + "\r\n",
        StandardCharsets.UTF_8);
    Path test = tmp.toPath().resolve("test.csv");
    Files.writeString(
        test,
        ShardingTest.TEST_HEADER
            + "\n"
            + "00000000000000c3,xclick,"
            + CAR
            + ",1,0.25,0.75,0.25,0.75,0,0,0,0,0\n"
            + "00000000000000c3,xclick,"
            + PLATE
            + ",1,0.25,0.5,0.5,0.75,0,0,0,0,0\n"
            + "00000000000000d4,xclick,/m/other,1,0.25,0.5,0.5,0.75,0,0,0,0,0\n",
        StandardCharsets.UTF_8);
    return CsvShard.plan(FilePatterns.match("annotations", train + "," + test), shardBytes);
  }

  @Test
  void selectsImagesWithTheRequiredClassAndReadsTheirWantedRows(TestPipeline p) throws Exception {
    List<CsvShard> shards = shards(37); // many tiny shards: lines cross shard boundaries
    PCollection<CsvShard> input =
        p.apply(Create.of(shards).withCoder(SerializableCoder.of(CsvShard.class)));
    org.mosaicbeam.io.Progress.Shared progress =
        new org.mosaicbeam.io.Progress.Shared("test", "scan", 1);
    PCollection<Selection> selection =
        input
            .apply("Find", ParDo.of(new FindImagesWithClassFn(PLATE, progress)))
            .setCoder(ListCoder.of(StringUtf8Coder.of()))
            .apply(new SelectImages(0));
    PAssert.thatSingleton(selection)
        .isEqualTo(
            new Selection(3, List.of("00000000000000a1", "00000000000000b2", "00000000000000c3")));
    PCollectionView<Selection> view = selection.apply(View.asSingleton());
    PCollectionTuple rows =
        input.apply(
            "Read",
            ParDo.of(new ReadSelectedRowsFn(view, Set.of(PLATE, CAR), progress))
                .withSideInputs(view)
                .withOutputTags(
                    ReadSelectedRowsFn.BOXES, TupleTagList.of(ReadSelectedRowsFn.DEAD_LETTERS)));
    PAssert.that(rows.get(ReadSelectedRowsFn.BOXES).setCoder(BoxRowCoder.of()))
        .containsInAnyOrder(
            new BoxRow("00000000000000a1", PLATE, 1, 0.1, 0.2, 0.3, 0.4, "train"),
            new BoxRow("00000000000000a1", CAR, 1, 0.0, 1.0, 0.0, 1.0, "train"),
            new BoxRow("00000000000000b2", PLATE, 1, 0.5, 0.5, 0.5, 0.5, "train"),
            new BoxRow("00000000000000c3", CAR, 1, 0.25, 0.75, 0.25, 0.75, "test"),
            new BoxRow("00000000000000c3", PLATE, 1, 0.25, 0.5, 0.5, 0.75, "test"));
    String trainFile =
        shards.get(shards.size() - 1).file().endsWith("train.csv")
            ? shards.get(shards.size() - 1).file()
            : shards.get(0).file();
    PAssert.that(
            rows.get(ReadSelectedRowsFn.DEAD_LETTERS)
                .setCoder(SerializableCoder.of(DeadLetter.class)))
        .satisfies(
            dead -> {
              List<DeadLetter> all = new ArrayList<>();
              dead.forEach(all::add);
              assertEquals(1, all.size());
              assertEquals("XMin 0.7 > XMax 0.2", all.get(0).reason());
              assertTrue(all.get(0).file().endsWith("train.csv"));
              assertTrue(all.get(0).row().startsWith("00000000000000a1,xclick,/m/0k4j,1,0.7,0.2"));
              return null;
            });
    p.run().waitUntilFinish();
    // the dead letter's byte offset becomes line 5 (header = line 1)
    long offset =
        new String(Files.readAllBytes(Path.of(trainFile)), StandardCharsets.ISO_8859_1)
            .indexOf("00000000000000a1,xclick,/m/0k4j,1,0.7");
    assertEquals(
        Long.valueOf(5),
        WriteOutputs.lineNumbers(trainFile, new java.util.TreeSet<>(List.of(offset))).get(offset));
  }

  @Test
  void maxImagesTakesADeterministicSample(TestPipeline p) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(String.format("%016x", i * 977L));
    }
    PCollection<Selection> s =
        p.apply(
                Create.of(List.of(ids.subList(0, 60), ids.subList(50, 100)))
                    .withCoder(ListCoder.of(StringUtf8Coder.of())))
            .apply(new SelectImages(10)); // 50..59 twice
    List<String> expected = new ArrayList<>(ids);
    expected.sort(java.util.Comparator.comparing(SelectImages::hashKey));
    List<String> sample = new ArrayList<>(expected.subList(0, 10));
    sample.sort(null);
    PAssert.thatSingleton(s).isEqualTo(new Selection(100, sample));
    p.run().waitUntilFinish();
  }

  @Test
  void joinsBoxesWithImagesAndChecksThem(TestPipeline p) throws Exception {
    ClassMap classes =
        new ClassMap(
            List.of(
                new ClassMap.OutputClass(0, PLATE, "Vehicle registration plate"),
                new ClassMap.OutputClass(1, CAR, "Car")),
            PLATE,
            "Vehicle registration plate");
    List<BoxRow> boxes = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // 40 images over the 16 buckets
      String id = String.format("%016x", i);
      boxes.add(new BoxRow(id, CAR, 1, 0.0, 1.0, 0.0, 1.0, "train"));
      boxes.add(new BoxRow(id, PLATE, 1, 0.5, 0.75, 0.25, 0.5, "train"));
    }
    boxes.add(
        new BoxRow(
            "ffffffffffffffff",
            CAR,
            1,
            0.0,
            1.0,
            0.0,
            1.0,
            "train")); // no plate left (a dead letter)
    List<ImageLocation> images = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = String.format("%016x", i);
      images.add(
          i == 7
              ? ImageLocation.missing(id)
              : new ImageLocation(
                  id,
                  "/img/" + id + ".jpg",
                  1000,
                  "jpeg",
                  i == 8 ? 5000 : 400,
                  i == 8 ? 300 : 200,
                  3,
                  null));
    }
    images.add(
        new ImageLocation("ffffffffffffffff", "/img/f.jpg", 1000, "jpeg", 400, 200, 3, null));
    PCollection<ImageRecord> records =
        p.apply("Boxes", Create.of(boxes).withCoder(BoxRowCoder.of()))
            .apply(
                new JoinByImage(
                    p.apply("Images", Create.of(images).withCoder(ImageLocationCoder.of())),
                    classes,
                    false));
    PAssert.that(records)
        .satisfies(
            all -> {
              Map<String, ImageRecord> byId = new java.util.HashMap<>();
              all.forEach(r -> byId.put(r.imageId(), r));
              assertEquals(41, byId.size());
              ImageRecord r0 = byId.get("0000000000000000");
              assertTrue(r0.kept());
              assertEquals(
                  List.of(
                      new PixelBox(0, 200, 50, 100, 50, 1.0), new PixelBox(1, 0, 0, 400, 200, 1.0)),
                  r0.boxes());
              assertEquals(List.of("missing"), byId.get("0000000000000007").problems());
              assertEquals(false, byId.get("0000000000000007").kept());
              assertEquals(
                  List.of("width 5000 px (must be 64-4096)"),
                  byId.get("0000000000000008").problems());
              assertEquals(false, byId.get("0000000000000008").kept());
              assertEquals(
                  List.of("no valid box of the required class Vehicle registration plate"),
                  byId.get("ffffffffffffffff").problems());
              assertEquals(
                  38,
                  StreamSupport.stream(all.spliterator(), false).filter(ImageRecord::kept).count());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void locatesImagesInFoldersAndGlobsAndReportsMissingOnes(TestPipeline p) throws Exception {
    File a = newFolder("a");
    File b = newFolder("b");
    ImageIO.write(
        new BufferedImage(100, 80, BufferedImage.TYPE_3BYTE_BGR),
        "jpg",
        new File(a, "0000000000000001.jpg"));
    ImageIO.write(
        new BufferedImage(90, 70, BufferedImage.TYPE_BYTE_GRAY),
        "png",
        new File(b, "0000000000000002.png"));
    ImageIO.write(
        new BufferedImage(90, 70, BufferedImage.TYPE_BYTE_GRAY),
        "jpg",
        new File(b, "0000000000000003.jpg"));
    Files.writeString(new File(a, "0000000000000004.jpg").toPath(), "not a jpeg");
    LocateImages locate =
        new LocateImages(
            List.of(a.getPath(), b.getPath() + "/*.png"),
            tmp.getPath(),
            RekognitionLimits.MAX_BYTES);
    PCollection<ImageLocation> found =
        p.apply(
                Create.of(
                    List.of(
                        "0000000000000001",
                        "0000000000000002",
                        "0000000000000003",
                        "0000000000000004")))
            .apply(locate)
            .get(LocateImages.LOCATIONS);
    PAssert.that(found)
        .satisfies(
            all -> {
              Map<String, ImageLocation> byId = new java.util.HashMap<>();
              all.forEach(l -> byId.put(l.imageId(), l));
              ImageLocation one = byId.get("0000000000000001");
              assertEquals(
                  List.of("jpeg", 100, 80, 3),
                  List.of(one.format(), one.width(), one.height(), one.depth()));
              assertTrue(one.path().endsWith("/a/0000000000000001.jpg"));
              ImageLocation two = byId.get("0000000000000002");
              assertEquals(
                  List.of("png", 90, 70, 1),
                  List.of(two.format(), two.width(), two.height(), two.depth()));
              assertEquals(
                  "missing",
                  byId.get("0000000000000003").problem()); // b/ is only searched for *.png
              assertTrue(byId.get("0000000000000004").problem().startsWith("unreadable image"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void idsNotInFoldersAreLookedUpInTarballs(TestPipeline p) throws Exception {
    File folder = newFolder("folder");
    ImageIO.write(
        new BufferedImage(100, 80, BufferedImage.TYPE_3BYTE_BGR),
        "jpg",
        new File(folder, "0000000000000001.jpg"));
    // The tarball holds a second copy of 1 (the folder wins) and 5 (only there).
    File tarball = new File(tmp, "train_0.tar.gz");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(
            new GzipCompressorOutputStream(Files.newOutputStream(tarball.toPath())))) {
      for (String id : List.of("0000000000000001", "0000000000000005")) {
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(120, 90, BufferedImage.TYPE_BYTE_GRAY), "jpg", jpeg);
        TarArchiveEntry entry = new TarArchiveEntry("train_0/" + id + ".jpg");
        entry.setSize(jpeg.size());
        tar.putArchiveEntry(entry);
        tar.write(jpeg.toByteArray());
        tar.closeArchiveEntry();
      }
    }
    String work = newFolder("work").getPath();
    LocateImages locate =
        new LocateImages(
            List.of(folder.getPath(), tarball.getPath()), work, RekognitionLimits.MAX_BYTES);
    PCollection<ImageLocation> found =
        p.apply(Create.of(List.of("0000000000000001", "0000000000000005", "0000000000000006")))
            .apply(locate)
            .get(LocateImages.LOCATIONS);
    PAssert.that(found)
        .satisfies(
            all -> {
              Map<String, ImageLocation> byId = new java.util.HashMap<>();
              all.forEach(l -> byId.put(l.imageId(), l));
              assertEquals(3, byId.size());
              ImageLocation one = byId.get("0000000000000001");
              assertTrue(one.path().endsWith("/folder/0000000000000001.jpg"), one.path());
              assertEquals(100, one.width());
              ImageLocation five = byId.get("0000000000000005");
              assertTrue(
                  five.path().startsWith(work) && five.path().endsWith("0000000000000005.jpg"),
                  five.path());
              assertEquals(List.of(120, 90, 1), List.of(five.width(), five.height(), five.depth()));
              assertEquals("missing", byId.get("0000000000000006").problem());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aTarballPatternMatchingNothingIsAStartUpError() {
    org.apache.beam.sdk.Pipeline plain = org.apache.beam.sdk.Pipeline.create();
    PCollection<String> ids = plain.apply(Create.of("x"));
    LocateImages missing =
        new LocateImages(
            List.of(tmp.getPath() + "/images.tar.gz"), "out", RekognitionLimits.MAX_BYTES);
    org.mosaicbeam.base.UserError e =
        assertThrows(org.mosaicbeam.base.UserError.class, () -> ids.apply("Missing", missing));
    assertTrue(e.getMessage().contains("no tarball matches"), e.getMessage());
  }
}
