package org.mosaicbeam.io;

import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the S3 clients of Beam's s3:// filesystem (and of {@code upload}) from the options as
 * Beam's default factory does (region, endpoint, credentials from the SDK chain, HTTP settings),
 * plus two things S3-compatible servers need:
 *
 * <ul>
 *   <li>path-style addressing when {@code --s3PathStyle} is set;
 *   <li>no {@code x-amz-server-side-encryption-bucket-key-enabled: false} header. Beam sends it on
 *       every write; S3Proxy (and other servers) answer HTTP 501 to it. Its value "false" is S3's
 *       default, so dropping it changes nothing on AWS; "true" (--bucketKeyEnabled) is kept.
 * </ul>
 */
public class S3CompatibleClientBuilderFactory implements S3ClientBuilderFactory {
  static final String BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder =
        ClientBuilderFactory.getFactory(options).create(S3Client.builder(), options);
    return configure(builder, options);
  }

  /**
   * A client for code outside Beam's filesystem (e.g. {@code upload}), configured exactly like
   * Beam's, with the SDK's standard retry strategy (exponential backoff with jitter, throttling
   * aware) allowing {@code numRetries} retries per request.
   */
  public static S3Client client(StorageOptions options, int numRetries) {
    S3ClientBuilder builder = new S3CompatibleClientBuilderFactory().createBuilder(options);
    ClientOverrideConfiguration existing = builder.overrideConfiguration();
    return builder
        .overrideConfiguration(
            existing.toBuilder()
                .retryPolicy(RetryPolicy.builder(RetryMode.STANDARD).numRetries(numRetries).build())
                .build())
        .build();
  }

  /** Adds path style and the header fix to a builder already configured from {@code options}. */
  static S3ClientBuilder configure(S3ClientBuilder builder, S3Options options) {
    boolean pathStyle = options.as(StorageOptions.class).getS3PathStyle();
    // Keep what Beam's factory set (e.g. a retry policy): the SDK's setter replaces, not merges.
    ClientOverrideConfiguration existing = builder.overrideConfiguration();
    return builder
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
        .overrideConfiguration(
            existing.toBuilder().addExecutionInterceptor(new DropDefaultBucketKeyHeader()).build());
  }

  /** Removes the bucket-key header when it only restates the default ("false"). */
  static final class DropDefaultBucketKeyHeader implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
      SdkHttpRequest request = context.httpRequest();
      boolean isDefault =
          request
              .firstMatchingHeader(BUCKET_KEY_HEADER)
              .map("false"::equalsIgnoreCase)
              .orElse(false);
      return isDefault ? request.toBuilder().removeHeader(BUCKET_KEY_HEADER).build() : request;
    }
  }
}
