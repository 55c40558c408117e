package org.mosaicbeam.model.rekognition;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.util.concurrent.RateLimiter;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.rekognition.RekognitionClient;

/**
 * The client, concurrency limit and rate limit shared by every detector in a worker JVM that uses
 * the same account/endpoint and limits: Beam runs many DoFn instances per worker, and the
 * Rekognition limits are per account, so the gate must be per JVM, not per DoFn.
 *
 * <p>The semaphore is held for a whole call including the SDK's backoff sleeps (a throttled call
 * keeps its slot, which is what slows the worker down); the rate limiter is applied to every HTTP
 * attempt, retries included, through an SDK interceptor.
 */
final class CallGate {
  record Key(
      ClientConfiguration client,
      int maxRetries,
      long baseBackoffMillis,
      int maxConcurrentCalls,
      double maxCallsPerSecond) {}

  private static final Map<Key, CallGate> GATES = new ConcurrentHashMap<>();

  final RekognitionClient client;
  private final Semaphore slots;

  private CallGate(Key key) {
    this.slots = new Semaphore(key.maxConcurrentCalls(), true);
    RateLimiter rate =
        key.maxCallsPerSecond() > 0 ? RateLimiter.create(key.maxCallsPerSecond()) : null;
    ExecutionInterceptor perAttempt =
        rate == null
            ? null
            : new ExecutionInterceptor() {
              @Override
              public void beforeTransmission(
                  Context.BeforeTransmission context, ExecutionAttributes attributes) {
                rate.acquire();
              }
            };
    this.client =
        RekognitionClients.create(
            key.client(),
            key.maxRetries(),
            Duration.ofMillis(key.baseBackoffMillis()),
            perAttempt,
            Math.max(key.maxConcurrentCalls(), 1) + 2);
  }

  static CallGate forKey(Key key) {
    if (key.maxConcurrentCalls() < 1) {
      throw new IllegalArgumentException("maxConcurrentCalls must be >= 1");
    }
    return GATES.computeIfAbsent(key, CallGate::new);
  }

  /** One Rekognition call. */
  @FunctionalInterface
  interface Call<T> {
    T run(RekognitionClient client);
  }

  <T> T call(Call<T> call) throws InterruptedException {
    slots.acquire();
    try {
      return call.run(client);
    } finally {
      slots.release();
    }
  }
}
