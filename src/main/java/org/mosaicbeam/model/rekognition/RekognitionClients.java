package org.mosaicbeam.model.rekognition;

import java.net.URI;
import java.time.Duration;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.mosaicbeam.io.Storage;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.RekognitionClientBuilder;

/** Builds SDK v2 Rekognition clients from the command-line options. */
public final class RekognitionClients {
  private RekognitionClients() {}

  /**
   * Region, endpoint and credentials provider as a serializable value (Beam's own AWS client
   * configuration: the provider travels as its JSON description, e.g. the default chain).
   */
  public static ClientConfiguration configuration(RekognitionClientOptions options) {
    Region region = Storage.regionOrChain(options.getAwsRegion());
    ClientConfiguration.Builder builder =
        ClientConfiguration.builder()
            .credentialsProvider(options.getAwsCredentialsProvider())
            .region(region);
    String endpoint = options.getRekognitionEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpoint(URI.create(endpoint));
    }
    return builder.build();
  }

  /** A client for the training commands: SDK retries on throttling and 5xx. */
  public static RekognitionClient create(RekognitionClientOptions options) {
    return create(
        configuration(options),
        options.getRekognitionMaxRetries(),
        Duration.ofMillis(options.getRekognitionBaseBackoffMillis()),
        null,
        16);
  }

  static RekognitionClient create(
      ClientConfiguration config,
      int maxRetries,
      Duration baseBackoff,
      ExecutionInterceptor perAttempt,
      int maxConnections) {
    RekognitionClientBuilder builder =
        RekognitionClient.builder()
            .region(config.region())
            .credentialsProvider(config.credentialsProvider())
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(maxConnections))
            .overrideConfiguration(
                o -> {
                  o.retryPolicy(RekognitionRetries.policy(maxRetries, baseBackoff));
                  // A hung connection must not stall a frame forever: one attempt gets 60 s.
                  o.apiCallAttemptTimeout(Duration.ofSeconds(60));
                  if (perAttempt != null) {
                    o.addExecutionInterceptor(perAttempt);
                  }
                });
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    return builder.build();
  }
}
