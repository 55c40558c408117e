package org.mosaicbeam.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.io.S3CompatibleClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code scripts/mosaicbeam upload}: puts the images a manifest references into a bucket, then the
 * manifest (its source-refs pointing at the uploaded keys) — last, so it never references an image
 * that is not there. Objects already present with the same size and MD5 are skipped, so re-running
 * after an interruption sends only what is missing. Exit status 1 when anything failed.
 */
public final class UploadCommand {
  private UploadCommand() {}

  /** Counts of one run. */
  public record Summary(
      long uploaded,
      long skipped,
      long failed,
      long bytesUploaded,
      String manifest,
      double seconds,
      List<String> failures) {
    public boolean ok() {
      return failed == 0;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "upload: images uploaded=%d skipped=%d failed=%d (%.1f MB in %.1f s, %.1f MB/s); manifest %s",
          uploaded,
          skipped,
          failed,
          bytesUploaded / 1e6,
          seconds,
          bytesUploaded / 1e6 / Math.max(seconds, 1e-3),
          manifest);
    }
  }

  public static void main(String[] args) throws Exception {
    UploadOptions options = Cli.parse(args, UploadOptions.class);
    if (options == null) {
      return;
    }
    Summary summary = run(options);
    for (String failure : summary.failures()) {
      System.err.println("upload: failed: " + failure);
    }
    System.out.println(summary);
    if (!summary.ok()) {
      System.exit(1);
    }
  }

  /**
   * Chains an upload after another subcommand (e.g. {@code dataset --upload=s3://bucket/prefix/}):
   * the same storage options, this manifest, the bucket and prefix taken from {@code target}.
   */
  public static Summary uploadTo(
      String target, String manifest, org.apache.beam.sdk.options.PipelineOptions options)
      throws IOException, InterruptedException {
    if (!target.startsWith("s3://") || target.length() <= "s3://".length()) {
      throw new UserError("--upload must look like s3://bucket/prefix/, not '" + target + "'");
    }
    String rest = target.substring("s3://".length());
    int slash = rest.indexOf('/');
    UploadOptions upload = options.as(UploadOptions.class);
    upload.setManifest(manifest);
    upload.setImageList(null); // images.txt next to the manifest
    upload.setBucket(slash < 0 ? rest : rest.substring(0, slash));
    upload.setPrefix(slash < 0 ? "" : rest.substring(slash + 1));
    return run(upload);
  }

  public static Summary run(UploadOptions options) throws IOException, InterruptedException {
    if (options.getConcurrency() < 1) {
      throw new UserError("--concurrency must be at least 1");
    }
    long start = System.nanoTime();
    UploadPlan plan = UploadPlan.build(options);
    String prefix = UploadPlan.normalizePrefix(options.getPrefix());
    String destination = "s3://" + options.getBucket() + "/" + prefix;
    System.err.printf(
        Locale.ROOT,
        "upload: %d images and %s to %s (%d source-refs rewritten)%n",
        plan.images.size(),
        plan.manifestKey,
        destination,
        plan.sourceRefsRewritten);

    AtomicLong uploaded = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Progress progress = new Progress("upload images", plan.images.size());
    String manifestState;
    try (S3Client s3 = S3CompatibleClientBuilderFactory.client(options, options.getRetries())) {
      S3Uploader uploader = new S3Uploader(s3, options.getBucket(), options.getForce());
      Map<String, S3Uploader.Existing> existing;
      try {
        existing = uploader.list(prefix);
      } catch (RuntimeException e) {
        throw new UserError("cannot list " + destination + ": " + e.getMessage(), e);
      }
      ExecutorService pool = Executors.newFixedThreadPool(options.getConcurrency());
      try {
        List<Future<?>> tasks = new ArrayList<>();
        for (UploadPlan.Image image : plan.images) {
          tasks.add(
              pool.submit(
                  () -> {
                    try {
                      if (image.source() == null) {
                        throw new IOException(
                            "no local file for " + image.sourceRef() + " (see --imageList)");
                      }
                      Path tempDir = null;
                      Path file;
                      if (LocalFiles.isLocal(image.source())) {
                        file = Path.of(image.source());
                        if (!Files.isRegularFile(file)) {
                          throw new IOException(
                              "local file " + file + " is missing (for " + image.sourceRef() + ")");
                        }
                      } else {
                        tempDir = Files.createTempDirectory("mosaicbeam-upload-");
                        file = LocalFiles.localize(image.source(), tempDir);
                      }
                      try {
                        if (uploader.put(image.key(), file, existing.get(image.key()))
                            == S3Uploader.Outcome.UPLOADED) {
                          uploaded.incrementAndGet();
                          bytes.addAndGet(Files.size(file));
                        } else {
                          skipped.incrementAndGet();
                        }
                      } finally {
                        if (tempDir != null) {
                          Files.deleteIfExists(file);
                          Files.deleteIfExists(tempDir);
                        }
                      }
                    } catch (IOException | RuntimeException e) {
                      failures.add(image.key() + ": " + e.getMessage());
                    }
                    progress.add(1);
                    return null;
                  }));
        }
        for (Future<?> task : tasks) {
          task.get();
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        pool.shutdownNow();
      }
      if (failures.isEmpty()) {
        try {
          manifestState =
              uploader.put(plan.manifestKey, plan.manifest, existing.get(plan.manifestKey))
                      == S3Uploader.Outcome.UPLOADED
                  ? "uploaded"
                  : "unchanged (skipped)";
          manifestState += " as s3://" + options.getBucket() + "/" + plan.manifestKey;
        } catch (RuntimeException e) {
          failures.add(plan.manifestKey + ": " + e.getMessage());
          manifestState = "FAILED";
        }
      } else {
        manifestState = "NOT uploaded (images failed; re-run to finish)";
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long failedImages = failures.size();
    return new Summary(
        uploaded.get(),
        skipped.get(),
        failedImages,
        bytes.get(),
        manifestState,
        seconds,
        List.copyOf(failures));
  }
}
