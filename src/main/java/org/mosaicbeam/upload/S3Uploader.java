package org.mosaicbeam.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Puts objects into one bucket unless an identical one is already there. "Identical" = same size
 * and same MD5: the listed ETag when it is a plain MD5 (single-part upload without KMS), otherwise
 * the {@code md5} metadata this class writes on every upload (one HEAD). Thread-safe.
 */
final class S3Uploader {
  static final String MD5_METADATA = "md5";

  enum Outcome {
    UPLOADED,
    SKIPPED
  }

  /** Size and ETag of an object already in the bucket. */
  record Existing(long size, String eTag) {}

  private final S3Client s3;
  private final String bucket;
  private final boolean force;

  S3Uploader(S3Client s3, String bucket, boolean force) {
    this.s3 = s3;
    this.bucket = bucket;
    this.force = force;
  }

  /** Everything under {@code prefix} (one LIST per 1000 keys, instead of a HEAD per image). */
  Map<String, Existing> list(String prefix) {
    Map<String, Existing> out = new HashMap<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      out.put(o.key(), new Existing(o.size(), o.eTag()));
    }
    return out;
  }

  /** Uploads {@code file} as {@code key} unless {@code existing} already holds the same bytes. */
  Outcome put(String key, Path file, Existing existing) throws IOException {
    String md5 = md5Hex(file);
    long size = Files.size(file);
    if (!force
        && existing != null
        && existing.size() == size
        && sameMd5(key, existing.eTag(), md5)) {
      return Outcome.SKIPPED;
    }
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key(key)
                .contentLength(size)
                .contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5)))
                .contentType(contentType(key))
                .metadata(Map.of(MD5_METADATA, md5)),
        RequestBody.fromFile(file));
    return Outcome.UPLOADED;
  }

  /** Same for bytes in memory (the manifest). */
  Outcome put(String key, byte[] bytes, Existing existing) {
    String md5 = HexFormat.of().formatHex(digest().digest(bytes));
    if (!force
        && existing != null
        && existing.size() == bytes.length
        && sameMd5(key, existing.eTag(), md5)) {
      return Outcome.SKIPPED;
    }
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key(key)
                .contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5)))
                .contentType(contentType(key))
                .metadata(Map.of(MD5_METADATA, md5)),
        RequestBody.fromBytes(bytes));
    return Outcome.UPLOADED;
  }

  private boolean sameMd5(String key, String eTag, String md5) {
    String plain = eTag == null ? "" : eTag.replace("\"", "").toLowerCase(Locale.ROOT);
    if (plain.equals(md5)) {
      return true;
    }
    if (plain.length() == 32 && !plain.contains("-")) {
      return false; // a plain MD5 ETag that differs: different bytes
    }
    // multipart or KMS-encrypted: the ETag is not the MD5; trust the md5 we stored on upload
    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
    return md5.equals(head.metadata().get(MD5_METADATA));
  }

  static String md5Hex(Path file) throws IOException {
    MessageDigest md5 = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String contentType(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.endsWith(".jpg") || k.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (k.endsWith(".png")) {
      return "image/png";
    }
    return k.endsWith(".manifest") || k.endsWith(".jsonl")
        ? "application/jsonlines"
        : "application/octet-stream";
  }
}
