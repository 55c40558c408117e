package org.mosaicbeam.io;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.mosaicbeam.base.UserError;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

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

  /**
   * Why {@code --awsCredentialsProvider} is refused (secrets stay off command lines and job files).
   */
  public static final String CREDENTIALS_REFUSED =
      "--awsCredentialsProvider is not accepted: credentials come from the AWS SDK default "
          + "chain only (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, or a role)";

  /** Registers the storage options with the parser (idempotent). */
  public static void register() {
    // the static initializer does the work
  }

  /**
   * Applies the storage defaults to {@code options} and installs them in {@link FileSystems}.
   *
   * <p>Without {@code --awsRegion}, Beam's default asks the SDK's whole region chain, whose last
   * step calls the EC2 instance metadata service: outside EC2 that waited ~0.8 s here on every run,
   * local-only runs included. So only the chain's local steps (AWS_REGION, aws.region, the profile)
   * are asked here; when they have none, the region stays unset and each AWS client asks the whole
   * chain when it is first built (Beam builds its S3 client lazily).
   *
   * @throws UserError when credentials were given as an option instead of through the SDK chain
   */
  public static <T extends PipelineOptions> T configure(T options, boolean regionFlagGiven) {
    StorageOptions s3 = options.as(StorageOptions.class);
    if (!(s3.getAwsCredentialsProvider() instanceof DefaultCredentialsProvider)) {
      throw new UserError(CREDENTIALS_REFUSED);
    }
    if (s3.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      s3.setS3ClientFactoryClass(S3CompatibleClientBuilderFactory.class);
    }
    if (!regionFlagGiven) {
      s3.setAwsRegion(localRegion());
    }
    if (s3.getEndpoint() != null && s3.getAwsRegion() == null) {
      // S3-compatible servers ignore the region, but the SDK refuses to build a client without one.
      s3.setAwsRegion(Region.US_EAST_1);
    }
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  /** The region from the environment, system properties or the AWS profile; null when none says. */
  public static Region localRegion() {
    try {
      return new AwsRegionProviderChain(
              new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
          .getRegion();
    } catch (SdkClientException e) {
      return null;
    }
  }

  /** {@code region}, or when null the SDK's whole region chain (EC2 metadata included). */
  public static Region regionOrChain(Region region) {
    if (region != null) {
      return region;
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new UserError("no AWS region: pass --awsRegion=REGION or set AWS_REGION", e);
    }
  }
}
