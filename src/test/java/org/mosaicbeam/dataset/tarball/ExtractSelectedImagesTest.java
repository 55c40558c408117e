package org.mosaicbeam.dataset.tarball;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ExtractSelectedImagesTest {
  @TempDir Path tmp;

  /** Hands each test its own TestPipeline (a parameter). */
  @RegisterExtension
  final transient TestPipelineExtension pipelines = TestPipelineExtension.create();

  /** Rekognition's 15 MB, the dataset's default --maxImageBytes. */
  private static final long LIMIT = 15L << 20;

  private Path out;

  @BeforeEach
  void setUp() throws IOException {
    out = Files.createDirectories(tmp.resolve("work/images"));
  }

  @Test
  void writesOnlySelectedSafeMembersAndRejectsUnsafeOnes(TestPipeline pipeline) throws IOException {
    Path tarball = tmp.resolve("train_0.tar.gz");
    try (Tarballs t = new Tarballs(tarball)) {
      t.directory("train_0/")
          .file("train_0/aaa.jpg", "image aaa")
          .file("train_0/bbb.jpg", "image bbb (not selected)")
          .file("train_0/notes.txt", "not an image")
          .file("../evil.jpg", "escapes with ..")
          .file("train_0/../../evil2.jpg", "escapes in the middle")
          .file("/tmp/abs.jpg", "absolute path", true)
          .link("train_0/sym.jpg", "/etc/passwd", TarConstants.LF_SYMLINK)
          .link("train_0/hard.jpg", "train_0/aaa.jpg", TarConstants.LF_LINK)
          .characterDevice("train_0/dev.jpg")
          .file("train_0/ccc.jpg", "image ccc")
          .file("other/aaa.jpg", "a second aaa: must not replace the first");
    }
    PCollectionTuple result =
        pipeline
            .apply(Create.of("aaa", "ccc", "evil", "evil2", "abs", "sym", "hard", "dev", "missing"))
            .apply(ExtractSelectedImages.from(List.of(tarball.toString()), out.toString(), LIMIT));
    PAssert.that(result.get(ExtractSelectedImages.IMAGES))
        .containsInAnyOrder(
            KV.of("aaa", out.resolve("aaa.jpg").toString()),
            KV.of("ccc", out.resolve("ccc.jpg").toString()));
    PAssert.that(result.get(ExtractSelectedImages.REJECTED))
        .satisfies(
            rejectedExactly(
                tarball + ": ../evil.jpg: path escapes the output folder (..)",
                tarball + ": train_0/../../evil2.jpg: path escapes the output folder (..)",
                tarball + ": /tmp/abs.jpg: absolute path",
                tarball + ": train_0/sym.jpg: symbolic link to /etc/passwd",
                tarball + ": train_0/hard.jpg: hard link to train_0/aaa.jpg",
                tarball + ": train_0/dev.jpg: device or pipe",
                tarball + ": other/aaa.jpg: second member for image aaa (first: train_0/aaa.jpg)"));
    pipeline.run().waitUntilFinish();

    assertEquals(List.of("aaa.jpg", "ccc.jpg"), listing(out));
    assertEquals("image aaa", Files.readString(out.resolve("aaa.jpg")));
    assertEquals("image ccc", Files.readString(out.resolve("ccc.jpg")));
    // nothing escaped the output folder
    assertEquals(List.of("images"), listing(out.getParent()));
    assertEquals(List.of("train_0.tar.gz", "work"), listing(tmp));
    assertFalse(
        new File("/tmp/abs.jpg").exists()
            && Files.readString(Path.of("/tmp/abs.jpg")).equals("absolute path"));
  }

  @Test
  void rerunSkipsImagesPresentWithTheSameSizeAndRewritesOthers(TestPipeline pipeline)
      throws Exception {
    Path tarball = tmp.resolve("validation.tar");
    try (Tarballs t = new Tarballs(tarball)) {
      t.file("validation/aaa.jpg", "image aaa").file("validation/bbb.jpg", "image bbb");
    }
    Files.writeString(out.resolve("aaa.jpg"), "same size"); // 9 bytes like "image aaa": kept
    Files.writeString(out.resolve("bbb.jpg"), "partial"); // wrong size: replaced
    pipeline
        .apply(Create.of("aaa", "bbb"))
        .apply(ExtractSelectedImages.from(List.of(tarball.toString()), out.toString(), LIMIT));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals("same size", Files.readString(out.resolve("aaa.jpg")));
    assertEquals("image bbb", Files.readString(out.resolve("bbb.jpg")));
    assertEquals(1L, counter(result, "images-already-present"));
    assertEquals(1L, counter(result, "images-written"));
  }

  @Test
  void readsEveryTarballOfAGlobAndReportsACorruptOneWithoutStopping(TestPipeline pipeline)
      throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("tarballs"));
    try (Tarballs t = new Tarballs(dir.resolve("train_0.tar.gz"))) {
      t.file("train_0/aaa.jpg", "image aaa");
    }
    try (Tarballs t = new Tarballs(dir.resolve("train_1.tgz"))) {
      t.file("train_1/bbb.jpg", "image bbb");
    }
    // a truncated download: a gzip stream cut short
    byte[] whole = Files.readAllBytes(dir.resolve("train_0.tar.gz"));
    Files.write(dir.resolve("train_2.tar.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
    String corrupt = dir.resolve("train_2.tar.gz").toString();
    PCollectionTuple result =
        pipeline
            .apply(Create.of("aaa", "bbb"))
            .apply(
                ExtractSelectedImages.from(
                    List.of(dir + "/train_*.tar.gz", dir + "/*.tgz"), out.toString(), LIMIT));
    PAssert.that(result.get(ExtractSelectedImages.IMAGES))
        .containsInAnyOrder(
            KV.of("aaa", out.resolve("aaa.jpg").toString()),
            KV.of("bbb", out.resolve("bbb.jpg").toString()));
    PAssert.that(result.get(ExtractSelectedImages.REJECTED))
        .satisfies(
            rejected -> {
              List<RejectedMember> all = new ArrayList<>();
              rejected.forEach(all::add);
              assertEquals(1, all.size(), all.toString());
              RejectedMember r = all.get(0);
              assertEquals(
                  List.of(corrupt, "", RejectedMember.Why.UNREADABLE_TARBALL),
                  List.of(r.tarball(), r.member(), r.why()));
              assertTrue(r.reason().startsWith("unreadable after "), r.reason());
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertEquals(List.of("aaa.jpg", "bbb.jpg"), listing(out));
  }

  /**
   * A selected member that inflates far past the limit (64 MiB of zeros, 64 KiB compressed; the
   * limit set to 1 MiB here, the default is checked by the dataset's end-to-end test) is not
   * written, not even in part, and is rejected as too large; the members around it are extracted.
   */
  @Test
  void aSelectedMemberOverTheSizeLimitIsRejectedAndNothingOfItIsWritten(TestPipeline pipeline)
      throws Exception {
    Path tarball = tmp.resolve("train_0.tar.gz");
    try (Tarballs t = new Tarballs(tarball)) {
      t.file("train_0/aaa.jpg", "image aaa")
          .zeros("train_0/bomb.jpg", 64L << 20)
          .file("train_0/ccc.jpg", "image ccc");
    }
    assertTrue(Files.size(tarball) < (1 << 20));
    PCollectionTuple result =
        pipeline
            .apply(Create.of("aaa", "bomb", "ccc"))
            .apply(
                ExtractSelectedImages.from(List.of(tarball.toString()), out.toString(), 1 << 20));
    PAssert.that(result.get(ExtractSelectedImages.IMAGES))
        .containsInAnyOrder(
            KV.of("aaa", out.resolve("aaa.jpg").toString()),
            KV.of("ccc", out.resolve("ccc.jpg").toString()));
    PAssert.that(result.get(ExtractSelectedImages.REJECTED))
        .containsInAnyOrder(
            new RejectedMember(
                tarball.toString(),
                "train_0/bomb.jpg",
                RejectedMember.Why.TOO_LARGE,
                "image of 67108864 bytes, over --maxImageBytes=1048576"));
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    assertEquals(List.of("aaa.jpg", "ccc.jpg"), listing(out)); // no bomb.jpg, no partial temp file
    assertEquals(1L, counter(run, "members-rejected"));
  }

  @Test
  void rejectsANonTarballPath() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ExtractSelectedImages.from(List.of("/data/images/"), out.toString(), LIMIT));
  }

  /**
   * Each rejected member as "tarball: member: reason" (for comparing only: the fields stay apart).
   */
  private static SerializableFunction<Iterable<RejectedMember>, Void> rejectedExactly(
      String... expected) {
    List<String> want = List.of(expected);
    return rejected -> {
      List<String> got =
          java.util.stream.StreamSupport.stream(rejected.spliterator(), false)
              .map(r -> r.tarball() + ": " + r.member() + ": " + r.reason())
              .sorted()
              .collect(Collectors.toList());
      assertEquals(want.stream().sorted().collect(Collectors.toList()), got);
      return null;
    };
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static long counter(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(ExtractSelectedImages.class, name))
                .build())
        .getCounters()
        .iterator()
        .next()
        .getAttempted();
  }
}
