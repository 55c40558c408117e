package org.mosaicbeam.upload;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.mosaicbeam.io.StorageOptions;

/** Options of {@code scripts/mosaicbeam upload} (plus the shared storage options). */
public interface UploadOptions extends StorageOptions {
  @Description(
      "The Ground Truth manifest (JSON Lines with source-ref) written by dataset; local or s3://")
  @Validation.Required
  String getManifest();

  void setManifest(String value);

  @Description("Destination bucket")
  @Validation.Required
  String getBucket();

  void setBucket(String value);

  @Description(
      "Key prefix in the bucket, e.g. oid/plates/ (images go to PREFIX<file name>, the manifest to PREFIX<manifest name>)")
  @Default.String("")
  String getPrefix();

  void setPrefix(String value);

  @Description(
      "Where the local image files are: the image list written by dataset (one path per line; "
          + "with tab-separated fields the last one is the path) and/or folders, comma-separated. "
          + "Default: images.txt next to the manifest")
  String getImageList();

  void setImageList(String value);

  @Description("Upload even when the bucket already holds the key with the same size and MD5")
  @Default.Boolean(false)
  boolean getForce();

  void setForce(boolean value);

  @Description("Uploads in flight at once")
  @Default.Integer(8)
  int getConcurrency();

  void setConcurrency(int value);

  @Description(
      "Retries per request after the first attempt (SDK standard retry strategy: exponential backoff with jitter)")
  @Default.Integer(5)
  int getRetries();

  void setRetries(int value);
}
