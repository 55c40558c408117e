package org.mosaicbeam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** s3:// through Beam FileSystems against a real S3-compatible server (S3Proxy). */
class S3StorageTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  private static final String BUCKET = "storage-test";

  @BeforeAll
  static void bucket() {
    S3.createBucket(BUCKET);
  }

  @Test
  void atomicWriteToS3IsReadableBack() throws Exception {
    S3.options();
    String path = "s3://" + BUCKET + "/out/manifest.jsonl";
    AtomicOutput.write(
        path, "text/plain", out -> out.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("{\"a\":1}\n", read(path));
    // nothing but the target is left behind (no temp object)
    try (S3Client s3 = S3.client()) {
      List<String> keys =
          s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("out/")).contents().stream()
              .map(o -> o.key())
              .collect(Collectors.toList());
      assertEquals(List.of("out/manifest.jsonl"), keys);
    }
  }

  @Test
  void withoutTheHeaderFixS3ProxyRefusesBeamWrites() {
    StorageOptions options = S3.options();
    options.setS3ClientFactoryClass(DefaultS3ClientBuilderFactory.class);
    FileSystems.setDefaultPipelineOptions(options);
    try {
      Exception e =
          assertThrows(
              Exception.class,
              () ->
                  AtomicOutput.write(
                      "s3://" + BUCKET + "/refused.txt", "text/plain", out -> out.write(1)));
      assertTrue(
          String.valueOf(e).contains("501") || String.valueOf(e.getCause()).contains("501"),
          e.toString());
    } finally {
      S3.options(); // restore the working factory for the other tests
    }
  }

  @Test
  void pipelineReadsCsvFromS3AndWritesToS3() throws Exception {
    try (S3Client s3 = S3.client()) {
      s3.putObject(
          b -> b.bucket(BUCKET).key("csv/a.csv"),
          RequestBody.fromString("ImageID,LabelName\nx,/m/1\ny,/m/2\n"));
      s3.putObject(
          b -> b.bucket(BUCKET).key("csv/b.csv"),
          RequestBody.fromString("ImageID,LabelName\nz,/m/1\n"));
    }
    Pipeline p = Pipeline.create(S3.options());
    PCollection<String> rows =
        p.apply(TextIO.read().from("s3://" + BUCKET + "/csv/*.csv"))
            .apply(MapElements.into(TypeDescriptors.strings()).via(line -> line.split(",")[1]));
    PAssert.that(
            rows.apply(Count.perElement())
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(kv -> kv.getKey() + "=" + kv.getValue())))
        .containsInAnyOrder("LabelName=2", "/m/1=2", "/m/2=1");
    rows.apply(
        TextIO.write().to("s3://" + BUCKET + "/labels/part").withoutSharding().withSuffix(".txt"));
    p.run().waitUntilFinish();
    List<String> written = List.of(read("s3://" + BUCKET + "/labels/part.txt").split("\n"));
    assertEquals(5, written.size());
    assertTrue(written.containsAll(List.of("/m/1", "/m/2", "LabelName")));
  }

  @Test
  void localizeAndPublishRoundTrip(@TempDir Path tmp) throws Exception {
    S3.options();
    byte[] bytes = new byte[300_000];
    new java.util.Random(7).nextBytes(bytes);
    Path local = tmp.resolve("clip.mp4");
    Files.write(local, bytes);
    LocalFiles.publish(local, "s3://" + BUCKET + "/video/clip.mp4", "video/mp4");
    Path back = LocalFiles.localize("s3://" + BUCKET + "/video/clip.mp4", tmp);
    assertTrue(back.getFileName().toString().endsWith(".mp4"));
    assertArrayEquals(bytes, Files.readAllBytes(back));
    assertEquals(
        local, LocalFiles.localize(local.toString(), tmp)); // local files are used in place

    Path copy;
    try (LocalFiles.Localized l = LocalFiles.localized("s3://" + BUCKET + "/video/clip.mp4")) {
      copy = l.path();
      assertArrayEquals(bytes, Files.readAllBytes(copy));
    }
    assertFalse(Files.exists(copy), "the temp copy is deleted on close");
    try (LocalFiles.Localized l = LocalFiles.localized(local.toString())) {
      assertEquals(local, l.path());
    }
    assertTrue(Files.exists(local), "a local file is used in place, never deleted");
    assertTrue(LocalFiles.isLocal(local.toString()) && LocalFiles.isLocal("file://" + local));
    assertFalse(LocalFiles.isLocal("s3://" + BUCKET + "/video/")); // a folder: no Beam lookup
  }

  @Test
  void cliAcceptsStorageFlagsAndRejectsCredentialOptions() {
    List<String> args = S3.storageArgs();
    StorageOptions options = Cli.parse(args.toArray(new String[0]), StorageOptions.class);
    assertEquals(S3ProxyServer.REGION, options.getAwsRegion().id());
    assertTrue(options.getS3PathStyle());
    assertEquals(S3CompatibleClientBuilderFactory.class, options.getS3ClientFactoryClass());
    UserError e =
        assertThrows(
            UserError.class,
            () ->
                Cli.parse(
                    new String[] {
                      "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                          + "\"accessKeyId\":\"test\",\"secretAccessKey\":\"test\"}"
                    },
                    StorageOptions.class));
    assertTrue(e.getMessage().contains("default"), e.getMessage());
    S3.options();
  }

  private static String read(String path) throws Exception {
    try (InputStream in =
        Channels.newInputStream(
            FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
