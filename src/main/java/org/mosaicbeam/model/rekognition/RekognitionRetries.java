package org.mosaicbeam.model.rekognition;

import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.RetryPolicyContext;
import software.amazon.awssdk.core.retry.backoff.FullJitterBackoffStrategy;
import software.amazon.awssdk.core.retry.conditions.OrRetryCondition;
import software.amazon.awssdk.core.retry.conditions.RetryCondition;
import software.amazon.awssdk.core.retry.conditions.RetryOnExceptionsCondition;
import software.amazon.awssdk.services.rekognition.model.LimitExceededException;
import software.amazon.awssdk.services.rekognition.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.rekognition.model.ThrottlingException;

/**
 * The SDK retry policy for Rekognition calls: the SDK's default conditions (5xx, I/O errors, the
 * SDK's throttling error codes) plus Rekognition's {@code LimitExceededException} (not a throttling
 * code to the SDK, but what Rekognition answers when too many calls run at once), full-jitter
 * exponential backoff, and a longer base delay for throttling errors. After the last retry the SDK
 * throws, and the detector fails closed.
 */
final class RekognitionRetries {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

  private RekognitionRetries() {}

  static RetryPolicy policy(int maxRetries, Duration baseDelay) {
    RetryCondition retryable =
        OrRetryCondition.create(
            RetryCondition.defaultRetryCondition(),
            RetryOnExceptionsCondition.create(
                ThrottlingException.class,
                ProvisionedThroughputExceededException.class,
                LimitExceededException.class));
    return RetryPolicy.builder()
        .numRetries(maxRetries)
        .backoffStrategy(
            FullJitterBackoffStrategy.builder()
                .baseDelay(baseDelay)
                .maxBackoffTime(MAX_BACKOFF)
                .build())
        .throttlingBackoffStrategy(
            FullJitterBackoffStrategy.builder()
                .baseDelay(baseDelay.multipliedBy(2))
                .maxBackoffTime(MAX_BACKOFF)
                .build())
        .retryCondition(new Counting(retryable))
        // No client-side token bucket: the call limiter paces requests, and a drained bucket would
        // fail frames after a burst of throttles even though retries were left.
        .retryCapacityCondition(null)
        .build();
  }

  static boolean isThrottle(SdkException e) {
    return e instanceof ThrottlingException
        || e instanceof ProvisionedThroughputExceededException
        || e instanceof LimitExceededException
        || (e instanceof AwsServiceException ase && ase.isThrottlingException());
  }

  /**
   * Counts retries and throttles. The SDK asks this condition only while retries are left (it is
   * combined after the max-retries condition), and tells it when a failure will not be retried.
   */
  private static final class Counting implements RetryCondition {
    private final RetryCondition delegate;

    Counting(RetryCondition delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean shouldRetry(RetryPolicyContext context) {
      boolean retry = delegate.shouldRetry(context);
      if (retry) {
        RekognitionStats.retried();
        if (isThrottle(context.exception())) {
          RekognitionStats.throttled();
        }
      }
      return retry;
    }

    @Override
    public void requestWillNotBeRetried(RetryPolicyContext context) {
      if (isThrottle(context.exception())) {
        RekognitionStats.throttled();
      }
    }
  }
}
