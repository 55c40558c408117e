package org.mosaicbeam.io;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.mosaicbeam.cli.UserError;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Makes s3:// paths work for a subcommand: applies {@link StorageOptions} defaults and installs the
 * options in Beam {@link FileSystems} (so code outside a pipeline, e.g. {@link AtomicOutput}, can
 * use s3:// too). {@code Cli.parse} calls it for every subcommand.
 */
public final class Storage {
  static {
    // Only AwsOptions is registered by Beam itself; S3Options' flags must be known to the parser.
    PipelineOptionsFactory.register(S3Options.class);
    PipelineOptionsFactory.register(StorageOptions.class);
  }

  private Storage() {}

  /** Registers the storage options with the parser (idempotent). */
  public static void register() {
    // the static initializer does the work
  }

  /**
   * Applies the storage defaults to {@code options} and installs them in {@link FileSystems}.
   *
   * @throws UserError when credentials were given as an option instead of through the SDK chain
   */
  public static <T extends PipelineOptions> T configure(T options) {
    StorageOptions s3 = options.as(StorageOptions.class);
    if (!(s3.getAwsCredentialsProvider() instanceof DefaultCredentialsProvider)) {
      throw new UserError(
          "--awsCredentialsProvider is not accepted: credentials come from the AWS SDK default "
              + "chain only (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, or a role)");
    }
    if (s3.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      s3.setS3ClientFactoryClass(S3CompatibleClientBuilderFactory.class);
    }
    if (s3.getEndpoint() != null && s3.getAwsRegion() == null) {
      // S3-compatible servers ignore the region, but the SDK refuses to build a client without one.
      s3.setAwsRegion(Region.US_EAST_1);
    }
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }
}
