package org.mosaicbeam.io;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Storage options shared by every subcommand, so that any input or output path may be {@code
 * s3://bucket/key} (Beam's AWS SDK v2 filesystem).
 *
 * <p>Inherited from Beam: {@code --awsRegion} (default: the SDK's region chain, e.g. {@code
 * AWS_REGION}) and {@code --endpoint} (an S3-compatible server such as MinIO or S3Proxy).
 * Credentials always come from the SDK's default provider chain (environment, system properties,
 * {@code ~/.aws}, instance/container role); {@link Storage#configure} rejects credentials given as
 * an option, so secrets never appear on a command line or in a job file.
 */
public interface StorageOptions extends S3Options {
  @Description(
      "Address S3 buckets path-style (http://host/bucket/key) instead of as a host name "
          + "(http://bucket.host/key). Needed by most S3-compatible servers reached by host name "
          + "(MinIO, S3Proxy); an --endpoint given as an IP address is always path-style.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);
}
