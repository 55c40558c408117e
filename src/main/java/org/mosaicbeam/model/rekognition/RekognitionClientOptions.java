package org.mosaicbeam.model.rekognition;

import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How to reach Rekognition: region and credentials come from Beam's {@link AwsOptions} ({@code
 * --awsRegion}, {@code --awsCredentialsProvider}; by default the SDK's default provider chain), the
 * endpoint is separate from the S3 {@code --endpoint} so S3 can point at a local store while
 * Rekognition stays AWS (or the test server).
 */
public interface RekognitionClientOptions extends AwsOptions {
  @Description(
      "Rekognition endpoint override (tests, VPC endpoints); default: the region's endpoint")
  String getRekognitionEndpoint();

  void setRekognitionEndpoint(String value);

  @Description(
      "Retries per Rekognition call on ThrottlingException, ProvisionedThroughputExceededException, "
          + "LimitExceededException, 5xx and I/O errors (full-jitter exponential backoff)")
  @Default.Integer(6)
  int getRekognitionMaxRetries();

  void setRekognitionMaxRetries(int value);

  @Description("Base delay of the retry backoff in milliseconds (doubles per retry, with jitter)")
  @Default.Long(200)
  long getRekognitionBaseBackoffMillis();

  void setRekognitionBaseBackoffMillis(long value);
}
