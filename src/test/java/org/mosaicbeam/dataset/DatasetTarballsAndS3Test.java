package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.io.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The dataset pipeline with images inside tarballs and with inputs/outputs on s3:// (a real
 * S3-compatible server): both must give the same manifest as the plain local run.
 */
class DatasetTarballsAndS3Test {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  @TempDir static Path dir;
  private static Path sample;
  private static List<String> localManifest;

  @BeforeAll
  static void sampleAndLocalRun() throws Exception {
    sample = dir.resolve("sample");
    DatasetRun.generateSample(sample, 8000);
    runDataset(List.of("--images=" + sample.resolve("images"), "--output=" + dir.resolve("local")));
    localManifest = Files.readAllLines(dir.resolve("local").resolve(WriteOutputs.MANIFEST));
    assertTrue(localManifest.size() >= 3, "sample has images with plates: " + localManifest.size());
  }

  @Test
  void imagesFromTarballsGiveTheSameManifestAndUnsafeMembersAreDeadLettered() throws Exception {
    // the sample's images split over two tarballs, plus members that must never be written
    List<Path> images;
    try (Stream<Path> files = Files.list(sample.resolve("images"))) {
      images = files.sorted().collect(Collectors.toList());
    }
    // A selected image (a naive extractor would write a member named after it): the unsafe members
    // named after it go into the tarball that holds it, so train_0 gets it whatever the split.
    Path victimImage =
        Path.of(Files.readAllLines(dir.resolve("local").resolve(WriteOutputs.IMAGES)).get(0));
    String victim = victimImage.getFileName().toString();
    assertTrue(images.contains(victimImage), victimImage + " in " + sample.resolve("images"));
    List<Path> first = new ArrayList<>(images.subList(0, images.size() / 2));
    List<Path> second = new ArrayList<>(images.subList(images.size() / 2, images.size()));
    if (second.remove(victimImage)) {
      first.add(victimImage);
    }
    Path tarballs = Files.createDirectories(dir.resolve("tarballs"));
    Path out = dir.resolve("from-tarballs");
    Path imagesDir = out.resolve("images"); // TarballImages: <workDir = --output>/images/
    Path escapedDir = Files.createDirectories(dir.resolve("escaped"));
    Path linkTarget = Files.writeString(escapedDir.resolve("passwd"), "must stay as it is\n");
    // where a naive extractor (output folder + member name) would write the unsafe members
    String dotDot = "../" + victim;
    String dotDotDotDot = "../../" + victim;
    String absolute = escapedDir.resolve(victim).toString();
    List<String> victimMembers = new ArrayList<>(List.of(dotDot, dotDotDotDot));
    // A name of 100 bytes or more goes into a PAX header, and commons-compress drops the leading
    // "/"
    // of those on reading (the member is then relative): only a shorter one is read as absolute.
    if (absolute.getBytes(StandardCharsets.UTF_8).length < 100) {
      victimMembers.add(absolute);
    }
    List<Path> unsafeTargets =
        List.of(
            imagesDir.resolve("../evil.jpg").normalize(), // out/evil.jpg
            Path.of("/abs/evil.jpg"),
            imagesDir.resolve(dotDot).normalize(), // out/<victim>.jpg
            imagesDir.resolve(dotDotDotDot).normalize(), // <temp dir>/<victim>.jpg
            Path.of(absolute),
            dir.resolve("evil.jpg"));
    assertEquals(out.resolve(victim), unsafeTargets.get(2));
    assertEquals(dir.resolve(victim), unsafeTargets.get(3));
    writeTarball(
        tarballs.resolve("train_0.tar.gz"), first, true, victim, victimMembers, linkTarget);
    writeTarball(tarballs.resolve("train_1.tar.gz"), second, false, null, List.of(), null);

    String log = runDataset(List.of("--images=" + tarballs + "/train_*.tar.gz", "--output=" + out));

    // Nothing was written where an unsafe member points, nor anywhere else outside the images
    // folder.
    for (Path target : unsafeTargets) {
      assertFalse(
          Files.exists(target, LinkOption.NOFOLLOW_LINKS), "unsafe member written to " + target);
    }
    assertEquals(
        "must stay as it is\n", Files.readString(linkTarget), "written through a symbolic link");
    Path extractedVictim = imagesDir.resolve(victim);
    assertTrue(
        Files.isRegularFile(extractedVictim, LinkOption.NOFOLLOW_LINKS),
        extractedVictim + " is a plain file");
    assertEquals(
        -1,
        Files.mismatch(extractedVictim, victimImage),
        extractedVictim + " overwritten by an unsafe member");
    List<String> escaped = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String name = p.getFileName().toString();
        if (Files.isSymbolicLink(p)) {
          escaped.add(p + " (symbolic link)");
        } else if (name.equals("evil.jpg")
            || name.equals("link.jpg")
            || (name.equals(victim) && !p.equals(extractedVictim) && !p.equals(victimImage))) {
          escaped.add(p.toString());
        } else if (Files.isRegularFile(p)
            && Files.size(p) == UNSAFE_CONTENT.length
            && Arrays.equals(UNSAFE_CONTENT, Files.readAllBytes(p))) {
          escaped.add(p + " (an unsafe member's content)");
        }
      }
    }
    assertEquals(List.of(), escaped, "files from unsafe tar members under " + dir);

    // the run's counter line, e.g. "  images.from-tarballs          7"
    assertTrue(
        log.matches("(?s).*\\n\\s*images\\.from-tarballs\\s+" + localManifest.size() + "\\R.*"),
        log);

    assertEquals(localManifest, Files.readAllLines(out.resolve(WriteOutputs.MANIFEST)));
    List<String> listed = Files.readAllLines(out.resolve(WriteOutputs.IMAGES));
    assertEquals(localManifest.size(), listed.size());
    for (String path : listed) {
      Path extracted = Path.of(path);
      assertEquals(out.resolve("images"), extracted.getParent());
      assertEquals(
          -1, Files.mismatch(extracted, sample.resolve("images").resolve(extracted.getFileName())));
    }
    String deadLetters = Files.readString(out.resolve(WriteOutputs.DEAD_LETTERS));
    assertTrue(
        deadLetters.contains("../evil.jpg")
            && deadLetters.contains("path escapes the output folder"),
        deadLetters);
    assertTrue(
        deadLetters.contains("train_0/link.jpg")
            && deadLetters.contains("symbolic link to /etc/passwd"),
        deadLetters);
    assertTrue(
        deadLetters.contains("/abs/evil.jpg") && deadLetters.contains("absolute path"),
        deadLetters);
    // one row per unsafe member named after the selected image: "tarball,,reason,member"
    for (String member : victimMembers) {
      assertDeadLettered(
          deadLetters,
          member,
          member.startsWith("/") ? "absolute path" : "path escapes the output folder");
    }
    assertDeadLettered(deadLetters, "train_0/" + victim, "symbolic link to " + linkTarget);
    assertFalse(Files.exists(dir.resolve("evil.jpg")));
  }

  @Test
  void csvsFromS3ManifestToS3AndUploadChained() throws Exception {
    S3.createBucket("inputs");
    S3.createBucket("datasets");
    try (S3Client s3 = S3.client()) {
      for (String csv :
          List.of(
              "oidv6-train-annotations-bbox.csv",
              "validation-annotations-bbox.csv",
              "test-annotations-bbox.csv",
              "class-descriptions-boxable.csv")) {
        s3.putObject(
            b -> b.bucket("inputs").key("oid/" + csv), RequestBody.fromFile(sample.resolve(csv)));
      }
    }
    List<String> args = new ArrayList<>(S3.storageArgs());
    args.addAll(
        List.of(
            "--annotations=s3://inputs/oid/*-annotations-bbox.csv",
            "--classDescriptions=s3://inputs/oid/class-descriptions-boxable.csv",
            "--images=" + sample.resolve("images"),
            "--output=s3://datasets/run1/",
            "--upload=s3://datasets/plates/"));
    String log = runDataset(args);

    try (S3Client s3 = S3.client()) {
      // the run's files are under runs/<id>/, named by current.json (written last)
      String firstRun = currentRunFolder(s3);
      assertTrue(firstRun.matches("runs/[0-9a-f-]+/"), firstRun);
      String manifest =
          s3.getObjectAsBytes(
                  b -> b.bucket("datasets").key("run1/" + firstRun + WriteOutputs.MANIFEST))
              .asUtf8String();
      assertEquals(localManifest, List.of(manifest.split("\n")));
      assertTrue(
          log.contains("upload: images uploaded=" + localManifest.size() + " skipped=0 failed=0"),
          log);
      String uploaded =
          s3.getObjectAsBytes(b -> b.bucket("datasets").key("plates/" + WriteOutputs.MANIFEST))
              .asUtf8String();
      for (String line : uploaded.split("\n")) {
        String ref = line.replaceAll(".*\"source-ref\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertTrue(ref.startsWith("s3://datasets/plates/"), ref);
        s3.headObject(b -> b.bucket("datasets").key(ref.substring("s3://datasets/".length())));
      }

      // a second run: the pointer moves to it, the previous run stays (a reader may be on it)
      runDataset(args.subList(0, args.size() - 1));
      String secondRun = currentRunFolder(s3);
      assertFalse(secondRun.equals(firstRun), secondRun);
      List<String> keys = new ArrayList<>();
      s3.listObjectsV2Paginator(b -> b.bucket("datasets").prefix("run1/"))
          .contents()
          .forEach(o -> keys.add(o.key()));
      List<String> expected = new ArrayList<>(List.of("run1/current.json"));
      for (String run : List.of(firstRun, secondRun)) {
        for (String name :
            List.of(
                WriteOutputs.MANIFEST,
                WriteOutputs.IMAGES,
                WriteOutputs.REPORT,
                WriteOutputs.DEAD_LETTERS,
                DatasetPage.PAGE)) {
          expected.add("run1/" + run + name);
        }
      }
      assertEquals(expected.stream().sorted().toList(), keys.stream().sorted().toList());
    }
  }

  private static String currentRunFolder(S3Client s3) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(
            s3.getObjectAsBytes(b -> b.bucket("datasets").key("run1/current.json")).asByteArray())
        .get("folder")
        .asText();
  }

  /**
   * Runs {@code dataset} as the launcher does, in its own JVM: Beam's options registry is global
   * per JVM, and other tests' options interfaces (same property names, other defaults) must not
   * meet dataset's. Returns stdout+stderr; fails unless the exit status is 0.
   */
  private static String runDataset(List<String> extra) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                "org.mosaicbeam.cli.Main",
                "dataset",
                "--annotations="
                    + sample.resolve("oidv6-train-annotations-bbox.csv")
                    + ","
                    + sample.resolve("validation-annotations-bbox.csv")
                    + ","
                    + sample.resolve("test-annotations-bbox.csv"),
                "--classDescriptions=" + sample.resolve("class-descriptions-boxable.csv"),
                "--classes=Vehicle registration plate,Car,Bus",
                "--sourceRefPrefix=s3://my-bucket/oid/",
                "--jobName=oid-plates",
                "--creationDate=2026-01-01T00:00:00Z"));
    command.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(S3ProxyServer.childEnvironment());
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output;
  }

  private static void assertDeadLettered(String deadLetters, String member, String reason) {
    assertTrue(
        deadLetters.lines().anyMatch(line -> line.endsWith("," + member) && line.contains(reason)),
        member + " (" + reason + ") in the dead letters:\n" + deadLetters);
  }

  /** The content of every unsafe regular member: no file with it may appear anywhere. */
  private static final byte[] UNSAFE_CONTENT =
      "written from an unsafe tar member".getBytes(StandardCharsets.UTF_8);

  /**
   * With {@code withUnsafe}: before the images, {@code ../evil.jpg}, {@code /abs/evil.jpg}, a link
   * {@code <folder>/link.jpg -> /etc/passwd} and a link named {@code <folder>/<victim>} to {@code
   * linkTarget}; after the images (so a member that got through would overwrite the real {@code
   * victim}), one regular member per name in {@code victimMembers}.
   */
  private static void writeTarball(
      Path file,
      List<Path> images,
      boolean withUnsafe,
      String victim,
      List<String> victimMembers,
      Path linkTarget)
      throws IOException {
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      String folder = file.getFileName().toString().replace(".tar.gz", "") + "/";
      tar.putArchiveEntry(new TarArchiveEntry(folder));
      tar.closeArchiveEntry();
      if (withUnsafe) {
        put(tar, new TarArchiveEntry("../evil.jpg"), UNSAFE_CONTENT);
        put(tar, new TarArchiveEntry("/abs/evil.jpg", true), UNSAFE_CONTENT);
        symlink(tar, folder + "link.jpg", "/etc/passwd");
        symlink(tar, folder + victim, linkTarget.toString());
      }
      for (Path image : images) {
        TarArchiveEntry entry = new TarArchiveEntry(image.toFile(), folder + image.getFileName());
        tar.putArchiveEntry(entry);
        Files.copy(image, tar);
        tar.closeArchiveEntry();
      }
      for (String member : victimMembers) {
        put(tar, new TarArchiveEntry(member, true), UNSAFE_CONTENT);
      }
    }
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    link.setLinkName(target);
    tar.putArchiveEntry(link);
    tar.closeArchiveEntry();
  }

  private static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, byte[] bytes)
      throws IOException {
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
