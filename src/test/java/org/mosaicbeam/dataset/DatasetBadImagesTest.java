package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image files and tar members the dataset must not use, end to end on a generated sample: a JPEG
 * cut in half, a file over --maxImageBytes, a tar member that inflates to 2 GiB, a second member
 * with a selected image's name. Each becomes one dead-letter row (read back with Commons CSV) and a
 * count in report.json, and never reaches the manifest.
 */
class DatasetBadImagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEFAULT_MAX_IMAGE_BYTES = 15L * 1024 * 1024;

  @TempDir static Path dir;
  private static Path sample;
  private static List<Path> images;

  @BeforeAll
  static void sample() throws Exception {
    sample = dir.resolve("sample");
    DatasetRun.generateSample(sample, 8000);
    try (Stream<Path> files = Files.list(sample.resolve("images"))) {
      images = files.sorted().collect(Collectors.toList());
    }
    assertTrue(images.size() >= 4, "sample images: " + images.size());
  }

  @Test
  void aTruncatedJpegAndAnOversizedFileAreDeadLetteredAndLeftOut() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("images-with-bad-files"));
    for (Path image : images) {
      Files.copy(image, folder.resolve(image.getFileName()));
    }
    Path half = folder.resolve(images.get(0).getFileName());
    byte[] whole = Files.readAllBytes(half);
    Files.write(half, Arrays.copyOf(whole, whole.length / 2)); // header intact, no EOI marker
    Path huge = folder.resolve(images.get(1).getFileName());
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(DEFAULT_MAX_IMAGE_BYTES + 1); // sparse: no 15 MB written
    }
    Path out = dir.resolve("out-bad-files");

    DatasetRun run = DatasetRun.on(sample, List.of("--images=" + folder, "--output=" + out));

    assertEquals(0, run.exitCode(), run.output());
    String manifest = Files.readString(out.resolve(WriteOutputs.MANIFEST));
    assertEquals(images.size() - 2, manifest.lines().count(), manifest);
    assertFalse(manifest.contains(id(half)) || manifest.contains(id(huge)), manifest);
    List<CSVRecord> dead = deadLetters(out);
    assertEquals(2, dead.size(), dead.toString());
    CSVRecord truncated = row(dead, half.toString());
    assertEquals(
        List.of("", "truncated image: the JPEG does not end with its EOI marker (FF D9)", id(half)),
        List.of(truncated.get("line"), truncated.get("reason"), truncated.get("row")));
    CSVRecord tooLarge = row(dead, huge.toString());
    assertEquals(
        "image file of 15728641 bytes, over --maxImageBytes=15728640", tooLarge.get("reason"));
    JsonNode report = JSON.readTree(out.resolve(WriteOutputs.REPORT).toFile());
    assertEquals(1, report.get("images").get("truncated").asInt(), report.toString());
    assertEquals(1, report.get("images").get("too_large").asInt(), report.toString());
    assertEquals(1, report.get("dead_letters").get("truncated").asInt(), report.toString());
    assertEquals(1, report.get("dead_letters").get("too_large").asInt(), report.toString());
    assertEquals(2, report.get("dead_letter_rows").asInt(), report.toString());
  }

  /**
   * The bomb at the default limit: a 2 MB .tar.gz whose selected member inflates to 2 GiB
   * (streamed here: the archive is written, the 2 GiB never are).
   */
  @Test
  void aTarMemberInflatingTo2GibIsStoppedAtTheDefaultLimit() throws Exception {
    Path victim = images.get(0);
    Path tarball = dir.resolve("bomb").resolve("train_0.tar.gz");
    Files.createDirectories(tarball.getParent());
    try (TarArchiveOutputStream tar = tar(tarball)) {
      TarArchiveEntry bomb = new TarArchiveEntry("train_0/" + victim.getFileName());
      bomb.setSize(2L << 30);
      tar.putArchiveEntry(bomb);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 2048; i++) {
        tar.write(zeros);
      }
      tar.closeArchiveEntry();
      for (Path image : images.subList(1, images.size())) {
        add(tar, "train_0/" + image.getFileName(), Files.readAllBytes(image));
      }
    }
    assertTrue(Files.size(tarball) < 4_000_000, "a few MB: " + Files.size(tarball));
    Path out = dir.resolve("out-bomb");

    DatasetRun run = DatasetRun.on(sample, List.of("--images=" + tarball, "--output=" + out));

    assertEquals(0, run.exitCode(), run.output());
    try (Stream<Path> extracted = Files.list(out.resolve("images"))) {
      List<String> names = extracted.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(
          images.size() - 1, names.size(), names.toString()); // no bomb, no partial temp file
      assertFalse(names.contains(victim.getFileName().toString()), names.toString());
    }
    CSVRecord row = row(deadLetters(out), tarball.toString());
    assertEquals(
        List.of(
            "",
            "tarball member not extracted: image of 2147483648 bytes, over --maxImageBytes="
                + DEFAULT_MAX_IMAGE_BYTES,
            "train_0/" + victim.getFileName()),
        List.of(row.get("line"), row.get("reason"), row.get("row")));
    JsonNode report = JSON.readTree(out.resolve(WriteOutputs.REPORT).toFile());
    assertEquals(1, report.get("dead_letters").get("too_large").asInt(), report.toString());
    assertFalse(Files.readString(out.resolve(WriteOutputs.MANIFEST)).contains(id(victim)));
  }

  /**
   * A second member with a selected image's name: its reason holds "(first: ...)", and the row must
   * still read back as the tarball, no line, that reason and the member's name.
   */
  @Test
  void aSecondMemberForASelectedImageIsOneCsvRowWithItsOwnFields() throws Exception {
    Path victim = images.get(0);
    Path tarball = dir.resolve("duplicate").resolve("train_0.tar.gz");
    Files.createDirectories(tarball.getParent());
    try (TarArchiveOutputStream tar = tar(tarball)) {
      for (Path image : images) {
        add(tar, "train_0/" + image.getFileName(), Files.readAllBytes(image));
      }
      add(tar, "other: copy/" + victim.getFileName(), Files.readAllBytes(images.get(1)));
    }
    Path out = dir.resolve("out-duplicate");

    DatasetRun run = DatasetRun.on(sample, List.of("--images=" + tarball, "--output=" + out));

    assertEquals(0, run.exitCode(), run.output());
    List<CSVRecord> dead = deadLetters(out);
    assertEquals(1, dead.size(), dead.toString());
    assertEquals(
        List.of(
            tarball.toString(),
            "",
            "tarball member not extracted: second member for image "
                + id(victim)
                + " (first: train_0/"
                + victim.getFileName()
                + ")",
            "other: copy/" + victim.getFileName()),
        dead.get(0).toList());
    assertEquals(-1, Files.mismatch(victim, out.resolve("images").resolve(victim.getFileName())));
  }

  private static List<CSVRecord> deadLetters(Path out) throws IOException {
    try (Reader r = Files.newBufferedReader(out.resolve(WriteOutputs.DEAD_LETTERS))) {
      return CSVFormat.DEFAULT.builder().setHeader().build().parse(r).getRecords();
    }
  }

  private static CSVRecord row(List<CSVRecord> rows, String file) {
    List<CSVRecord> matching = new ArrayList<>();
    rows.stream().filter(r -> r.get("file").equals(file)).forEach(matching::add);
    assertEquals(1, matching.size(), file + " in " + rows);
    return matching.get(0);
  }

  private static String id(Path image) {
    String name = image.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }

  private static TarArchiveOutputStream tar(Path file) throws IOException {
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(file)));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
