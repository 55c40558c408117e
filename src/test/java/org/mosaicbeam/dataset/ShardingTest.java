package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.base.UserError;

/** Header-name parsing of both OID schemas, byte-range shards, and row validation. */
class ShardingTest {
  static final String TRAIN_HEADER =
      "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,"
          + "IsTruncated,IsGroupOf,IsDepiction,IsInside,XClick1X,XClick2X,XClick3X,XClick4X,XClick1Y,XClick2Y,"
          + "XClick3Y,XClick4Y";
  static final String TEST_HEADER =
      "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside";

  @TempDir Path dir;

  static String trainRow(String id, String mid, String coords) {
    return id + ",xclick," + mid + ",1," + coords + ",0,0,0,0,0,-1,-1,-1,-1,-1,-1,-1,-1";
  }

  @Test
  void findsColumnsByHeaderNameInBothSchemas() throws Exception {
    Path train = dir.resolve("train.csv");
    Files.writeString(
        train,
        "\uFEFF" + TRAIN_HEADER + "\r\n" + trainRow("a", "/m/x", "0.1,0.2,0.3,0.4") + "\r\n");
    Path test = dir.resolve("test.csv");
    // a reordered, quoted header still works: columns are found by name
    Files.writeString(
        test,
        "\"LabelName\",\"ImageID\",Source,Confidence,XMin,XMax,YMin,YMax,IsOccluded,"
            + "IsTruncated,IsGroupOf,IsDepiction,IsInside\n/m/x,b,xclick,1,0.1,0.2,0.3,0.4,0,0,0,0,0\n");
    List<CsvShard> shards =
        CsvShard.plan(FilePatterns.match("annotations", train + "," + test), 1 << 20);
    assertEquals(2, shards.size());
    AnnotationColumns t = shards.get(1).columns();
    assertEquals(21, t.count());
    assertEquals(0, t.imageId());
    assertEquals(2, t.labelName());
    assertEquals(new AnnotationColumns(13, 1, 2, 0, 3, 4, 5, 6, 7), shards.get(0).columns());
    assertEquals(TRAIN_HEADER.length() + 5, shards.get(1).dataStart()); // BOM (3 bytes) + CRLF
  }

  @Test
  void headerWithoutBoxColumnsIsAUserError() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "ImageID,LabelName,Foo\n1,2,3\n");
    UserError e =
        assertThrows(
            UserError.class,
            () -> CsvShard.plan(FilePatterns.match("annotations", bad.toString()), 100));
    assertTrue(e.getMessage().contains("[XMin, XMax, YMin, YMax]"), e.getMessage());
    assertThrows(
        UserError.class,
        () -> FilePatterns.match("annotations", dir.resolve("missing*.csv").toString()));
  }

  @Test
  void everyLineBelongsToExactlyOneShardWhateverTheShardSize() throws Exception {
    Path file = dir.resolve("t.csv");
    StringBuilder sb = new StringBuilder(TEST_HEADER).append("\r\n");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String line =
          String.format(
              "%016x,xclick,/m/%s,1,0.1,0.2,0.3,0.4,0,0,0,0,0", i * 7919L, "x".repeat(i % 13));
      lines.add(line);
      sb.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    sb.append("ffffffffffffffff,xclick,/m/last,1,0,1,0,1,0,0,0,0,0"); // no line break at the end
    lines.add("ffffffffffffffff,xclick,/m/last,1,0,1,0,1,0,0,0,0,0");
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    for (long shardBytes : new long[] {1, 2, 7, 50, 51, 52, 1000, 1 << 20}) {
      for (int buffer : new int[] {16, 100, 4096}) {
        List<String> seen = new ArrayList<>();
        for (CsvShard shard :
            CsvShard.plan(FilePatterns.match("annotations", file.toString()), shardBytes)) {
          ShardReader.read(
              shard,
              buffer,
              chunk -> {
                for (int pos = chunk.from(); pos < chunk.to(); ) {
                  int end = chunk.lineEnd(pos);
                  seen.add(chunk.line(pos, end));
                  pos = end + 1;
                }
              });
        }
        assertEquals(lines, seen, "shardBytes=" + shardBytes + " buffer=" + buffer);
      }
    }
  }

  @Test
  void validatesRows() throws Exception {
    AnnotationColumns c =
        AnnotationColumns.fromHeader(List.of(TRAIN_HEADER.split(",")), new ArrayList<>());
    Set<String> wanted = Set.of("/m/w");
    BoxRow ok =
        RowParser.parse(
            RowParser.fields(trainRow("\"id1\"", "/m/w", "0.1,0.2,0.3,0.4")), c, wanted, "train");
    assertEquals(new BoxRow("id1", "/m/w", 1.0, 0.1, 0.2, 0.3, 0.4, "train"), ok);
    assertNull(
        RowParser.parse(
            RowParser.fields(trainRow("id1", "/m/other", "0.1,0.2,0.3,0.4")), c, wanted, "train"));
    assertBad(
        "expected 21 columns, found 20",
        "id,xclick,/m/w,1,0.1,0.2,0.3,0.4,0,0,0,0,0,-1,-1,-1,-1,-1,-1,-1",
        c);
    assertBad("XMin 0.6 > XMax 0.2", trainRow("id", "/m/w", "0.6,0.2,0.3,0.4"), c);
    assertBad("YMin 0.5 > YMax 0.4", trainRow("id", "/m/w", "0.1,0.2,0.5,0.4"), c);
    assertBad("XMin is NaN", trainRow("id", "/m/w", "NaN,0.2,0.3,0.4"), c);
    assertBad("non-numeric YMax 'x'", trainRow("id", "/m/w", "0.1,0.2,0.3,x"), c);
    assertBad("XMax 1.5 outside [0,1]", trainRow("id", "/m/w", "0.1,1.5,0.3,0.4"), c);
    assertBad("YMin -0.1 outside [0,1]", trainRow("id", "/m/w", "0.1,0.5,-0.1,0.4"), c);
  }

  /**
   * The quote-free fast path splits exactly as Commons CSV parses (empty fields, trailing comma,
   * spaces).
   */
  @Test
  void unquotedLinesSplitAsCommonsCsvParsesThem() throws Exception {
    for (String line :
        List.of("a,b,,c", "a,b,", ",", " a , b ", "id,xclick,/m/w,1,0.1,0.2,0.3,0.4")) {
      List<String> expected =
          org.apache.commons.csv.CSVFormat.DEFAULT
              .parse(new java.io.StringReader(line))
              .getRecords()
              .get(0)
              .toList();
      assertEquals(expected, RowParser.fields(line), line);
    }
    assertEquals(List.of("a,b", "c", ""), RowParser.fields("\"a,b\",c,")); // quoted: Commons CSV
    assertThrows(RowParser.BadRow.class, () -> RowParser.fields(""));
  }

  private static void assertBad(String reason, String line, AnnotationColumns c) {
    RowParser.BadRow e =
        assertThrows(
            RowParser.BadRow.class,
            () -> RowParser.parse(RowParser.fields(line), c, Set.of("/m/w"), "train"));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void firstFieldAndWholeFieldMatches() {
    byte[] chunk = "\"abc\",x\nabd,y\n".getBytes(StandardCharsets.UTF_8);
    byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
    byte[] abd = "abd".getBytes(StandardCharsets.UTF_8);
    assertEquals(4, ReadSelectedRowsFn.firstFieldEnd(chunk, 0, 7)); // "abc" is bytes 1..3
    assertTrue(ReadSelectedRowsFn.startsWithKey(chunk, 0, 7, abc, 0, 3));
    assertEquals(11, ReadSelectedRowsFn.firstFieldEnd(chunk, 8, 13)); // abd is bytes 8..10
    assertTrue(ReadSelectedRowsFn.startsWithKey(chunk, 8, 13, abd, 0, 3));
    assertEquals(false, ReadSelectedRowsFn.startsWithKey(chunk, 8, 13, abd, 0, 2));
    assertTrue(
        ReadSelectedRowsFn.startsWithKey(chunk, 8, 13, chunk, 8, 11)); // the key in the same bytes
    String text = "id,xclick,/m/0k4j,1\nid,xclick,/m/0k4jx,1\nid,xclick,\"/m/0k4j\",1\n";
    Chunk rows = new Chunk(text.getBytes(StandardCharsets.UTF_8), 0, text.length(), 0);
    assertTrue(FindImagesWithClassFn.isWholeField(rows, text.indexOf("/m/0k4j"), 7));
    assertEquals(false, FindImagesWithClassFn.isWholeField(rows, text.indexOf("/m/0k4jx"), 7));
    assertTrue(FindImagesWithClassFn.isWholeField(rows, text.indexOf("\"/m/0k4j\"") + 1, 7));
  }

  @Test
  void theSplitComesFromTheFileName() {
    assertEquals("train", shard("/d/oidv6-train-annotations-bbox.csv").split());
    assertEquals("validation", shard("s3://b/validation-annotations-bbox.csv").split());
    assertEquals("test", shard("test-annotations-bbox.csv").split());
    assertEquals("my-boxes", shard("/d/my-boxes.csv").split(), "another file: a split of its own");
    assertEquals("contest-boxes", shard("/d/contest-boxes.csv").split(), "not 'test'");
  }

  private static CsvShard shard(String file) {
    return new CsvShard(file, 0, 0, 0, null);
  }
}
