package org.mosaicbeam.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.io.S3ProxyServer;
import org.mosaicbeam.io.Storage;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code upload} against a real S3-compatible server (S3Proxy on 127.0.0.1). */
class UploadCommandTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void uploadsImagesThenManifestAndSkipsWhatIsThereUnlessForced() throws Exception {
    S3.createBucket("skip");
    Map<String, byte[]> images = writeDataset(dir, 12, 20_000);

    UploadCommand.Summary first = UploadCommand.run(options("skip", "oid/plates"));
    assertEquals(List.of(12L, 0L, 0L), counts(first), first.toString());
    assertBucketHoldsExactly("skip", "oid/plates/", images);

    UploadCommand.Summary again = UploadCommand.run(options("skip", "oid/plates"));
    assertEquals(List.of(0L, 12L, 0L), counts(again), again.toString());
    assertTrue(again.manifest().startsWith("unchanged"), again.manifest());

    // same size, different bytes: only that image is sent again
    String changed = images.keySet().iterator().next();
    byte[] bytes = images.get(changed).clone();
    bytes[100] ^= 1;
    Files.write(dir.resolve("images").resolve(changed + ".jpg"), bytes);
    images.put(changed, bytes);
    UploadCommand.Summary oneChanged = UploadCommand.run(options("skip", "oid/plates"));
    assertEquals(List.of(1L, 11L, 0L), counts(oneChanged), oneChanged.toString());
    assertBucketHoldsExactly("skip", "oid/plates/", images);

    UploadCommand.Summary forced = UploadCommand.run(options("skip", "oid/plates", "--force=true"));
    assertEquals(List.of(12L, 0L, 0L), counts(forced), forced.toString());
  }

  @Test
  void aMissingLocalImageFailsTheRunAndKeepsTheManifestBack() throws Exception {
    S3.createBucket("missing");
    Map<String, byte[]> images = writeDataset(dir, 5, 1000);
    Files.delete(dir.resolve("images").resolve(images.keySet().iterator().next() + ".jpg"));

    UploadCommand.Summary summary = UploadCommand.run(options("missing", ""));
    assertEquals(List.of(4L, 0L, 1L), counts(summary), summary.toString());
    assertTrue(summary.failures().get(0).contains("is missing"), summary.failures().toString());
    try (S3Client s3 = S3.client()) {
      assertFalse(
          keys(s3, "missing", "").containsKey("dataset.manifest"), "manifest must not be uploaded");
    }
  }

  @Test
  void launcherExitsNonZeroOnFailureAndZeroOnSuccess() throws Exception {
    S3.createBucket("cli");
    writeDataset(dir, 3, 500);
    List<String> args =
        new ArrayList<>(
            List.of(
                "upload",
                "--manifest=" + dir.resolve("dataset.manifest"),
                "--bucket=cli",
                "--prefix=p"));
    args.addAll(S3.storageArgs());
    Process ok = launch(args);
    String out = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ok.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, ok.exitValue(), out);
    assertTrue(out.contains("images uploaded=3 skipped=0 failed=0"), out);

    args.set(2, "--bucket=no-such-bucket");
    Process failed = launch(args);
    String err = new String(failed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(failed.waitFor(60, TimeUnit.SECONDS));
    assertTrue(failed.exitValue() != 0, err);
    assertFalse(err.contains(S3ProxyServer.DUMMY_SECRET), "no credentials in the output");
  }

  /**
   * images.txt lines naming files that are not the dataset's (the probes: "..", an absolute
   * system path): the launcher exits 2 with one line naming the line, and the bucket stays empty,
   * the good images included.
   */
  @Test
  void aLineOutsideTheDatasetFailsTheRunBeforeAnythingIsSent() throws Exception {
    S3.createBucket("refused");
    writeDataset(dir, 3, 500);
    String goodLines = Files.readString(dir.resolve("images.txt"));
    for (String line : List.of("../../../../../../../../etc/passwd", "/etc/passwd")) {
      Files.writeString(dir.resolve("images.txt"), goodLines + "passwd\t" + line + "\n");
      Files.writeString(
          dir.resolve("dataset.manifest"),
          "{\"source-ref\":\"s3://my-bucket/images/passwd\"}\n",
          java.nio.file.StandardOpenOption.APPEND);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "upload",
                  "--manifest=" + dir.resolve("dataset.manifest"),
                  "--bucket=refused",
                  "--prefix=p"));
      args.addAll(S3.storageArgs());
      Process run = launch(args);
      String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(run.waitFor(60, TimeUnit.SECONDS));
      assertEquals(2, run.exitValue(), out);
      assertEquals(
          List.of(
              "mosaicbeam upload: error: "
                  + dir.resolve("images.txt")
                  + " line 4: '"
                  + line
                  + "' is outside the dataset's folders ["
                  + dir
                  + "/]; upload reads only the dataset's own files "
                  + "(nothing was sent)"),
          out.lines().toList());
      try (S3Client s3 = S3.client()) {
        assertEquals(Map.of(), keys(s3, "refused", ""));
      }
    }
  }

  @Test
  void aRunInterruptedByTheServerGoingAwayIsCompletedByARerun() throws Exception {
    S3.createBucket("interrupted");
    int total = 400;
    Map<String, byte[]> images = writeDataset(dir, total, 64_000);
    UploadOptions options = options("interrupted", "run", "--concurrency=2", "--retries=1");

    CompletableFuture<UploadCommand.Summary> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return UploadCommand.run(options);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // Wait (at most 60 s) until 40 objects are in: the server must die mid-way, not before the
    // upload started nor after it ended; an upload that dies or hangs early fails the test here.
    long waitSeconds = 60;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    try (S3Client s3 = S3.client()) {
      int present;
      while ((present = keys(s3, "interrupted", "run/").size()) < 40) {
        if (run.isDone()) {
          fail(
              "the upload ended before the server was stopped, with "
                  + keys(s3, "interrupted", "run/").size()
                  + " of "
                  + total
                  + " objects in the bucket: "
                  + outcome(run));
        }
        if (System.nanoTime() - deadline > 0) {
          fail(
              "after "
                  + waitSeconds
                  + " s only "
                  + present
                  + " of "
                  + total
                  + " objects are in the bucket (40 needed before"
                  + " stopping the server); the upload is still running");
        }
        Thread.sleep(20);
      }
    }
    S3.stop(); // mid-way: the server dies
    UploadCommand.Summary interrupted = run.get(120, TimeUnit.SECONDS);
    assertFalse(interrupted.ok(), interrupted.toString());
    assertTrue(interrupted.manifest().startsWith("NOT uploaded"), interrupted.manifest());
    assertEquals(total, interrupted.uploaded() + interrupted.failed(), interrupted.toString());

    S3.start();
    int intactBefore;
    try (S3Client s3 = S3.client()) {
      Map<String, S3Object> present = keys(s3, "interrupted", "run/");
      assertFalse(present.containsKey("run/dataset.manifest"));
      intactBefore =
          (int)
              images.entrySet().stream()
                  .filter(
                      e -> {
                        S3Object o = present.get("run/" + e.getKey() + ".jpg");
                        return o != null && o.eTag().replace("\"", "").equals(md5(e.getValue()));
                      })
                  .count();
      assertTrue(
          intactBefore >= 40 && intactBefore < total, "intact before re-run: " + intactBefore);
    }
    UploadCommand.Summary rerun = UploadCommand.run(options("interrupted", "run"));
    assertTrue(rerun.ok(), rerun.toString());
    assertEquals(intactBefore, rerun.skipped(), "nothing already there is sent again: " + rerun);
    assertEquals(total - intactBefore, rerun.uploaded(), rerun.toString());
    assertBucketHoldsExactly("interrupted", "run/", images);
  }

  // ---- helpers ----

  /** A finished run's summary, or the exception it ended with. */
  private static String outcome(CompletableFuture<UploadCommand.Summary> run) {
    try {
      return String.valueOf(run.getNow(null));
    } catch (RuntimeException e) {
      return "failed: " + (e.getCause() != null ? e.getCause() : e);
    }
  }

  private UploadOptions options(String bucket, String prefix, String... extra) {
    List<String> args = new ArrayList<>(S3.storageArgs());
    args.add("--manifest=" + dir.resolve("dataset.manifest"));
    args.add("--bucket=" + bucket);
    args.add("--prefix=" + prefix);
    args.addAll(List.of(extra));
    Storage.register();
    PipelineOptionsFactory.register(UploadOptions.class);
    return Storage.configure( // S3.storageArgs() give --awsRegion
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(UploadOptions.class), true);
  }

  /**
   * Random "images", their list (images.txt) and a manifest referencing them by a placeholder
   * prefix.
   */
  private static Map<String, byte[]> writeDataset(Path dir, int count, int size)
      throws IOException {
    Path imagesDir = Files.createDirectories(dir.resolve("images"));
    Map<String, byte[]> images = new TreeMap<>();
    Random random = new Random(count);
    StringBuilder list = new StringBuilder();
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String id = String.format("%016x", random.nextLong());
      byte[] bytes = new byte[size + random.nextInt(size)];
      random.nextBytes(bytes);
      Path file = imagesDir.resolve(id + ".jpg");
      Files.write(file, bytes);
      images.put(id, bytes);
      list.append(id).append('\t').append(file).append('\n');
      manifest
          .append("{\"source-ref\":\"s3://my-bucket/images/")
          .append(id)
          .append(
              ".jpg\",\"oid-plates\":{\"annotations\":[],\"image_size\":[{\"width\":640,\"height\":480,\"depth\":3}]}}\n");
    }
    Files.writeString(dir.resolve("images.txt"), list);
    Files.writeString(dir.resolve("dataset.manifest"), manifest);
    return images;
  }

  /** Exactly the images plus the manifest, byte for byte, with the manifest's refs resolving. */
  private static void assertBucketHoldsExactly(
      String bucket, String prefix, Map<String, byte[]> images) throws IOException {
    try (S3Client s3 = S3.client()) {
      Map<String, S3Object> present = keys(s3, bucket, prefix);
      // S3Proxy's filesystem backend writes each object to "<key>-<uuid>" and renames it; a server
      // killed mid-request leaves that file behind, listed as a key. Real S3 has no such thing.
      present
          .keySet()
          .removeIf(
              k -> k.matches(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
      List<String> expected = new ArrayList<>();
      images.keySet().forEach(id -> expected.add(prefix + id + ".jpg"));
      expected.add(prefix + "dataset.manifest");
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(present.keySet());
      List<String> extra = new ArrayList<>(present.keySet());
      extra.removeAll(expected);
      assertEquals(List.of(), missing, "missing objects");
      assertEquals(List.of(), extra, "unexpected objects");
      for (Map.Entry<String, byte[]> e : images.entrySet()) {
        assertEquals(
            md5(e.getValue()),
            present.get(prefix + e.getKey() + ".jpg").eTag().replace("\"", ""),
            e.getKey());
      }
      ResponseBytes<GetObjectResponse> manifest =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "dataset.manifest"));
      String[] lines = manifest.asUtf8String().split("\n");
      assertEquals(images.size(), lines.length);
      for (String line : lines) {
        String ref = JSON.readTree(line).get("source-ref").asText();
        String key = ref.substring(("s3://" + bucket + "/").length());
        assertTrue(
            ref.startsWith("s3://" + bucket + "/" + prefix) && present.containsKey(key), ref);
        assertEquals(
            640,
            JSON.readTree(line).get("oid-plates").get("image_size").get(0).get("width").asInt());
      }
    }
  }

  private static Map<String, S3Object> keys(S3Client s3, String bucket, String prefix) {
    Map<String, S3Object> out = new TreeMap<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
        .contents()
        .forEach(o -> out.put(o.key(), o));
    return out;
  }

  private static List<Long> counts(UploadCommand.Summary s) {
    return List.of(s.uploaded(), s.skipped(), s.failed());
  }

  private static String md5(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Process launch(List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.mosaicbeam.cli.Main"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(S3ProxyServer.childEnvironment());
    return pb.start();
  }
}
