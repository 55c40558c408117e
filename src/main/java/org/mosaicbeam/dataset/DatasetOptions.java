package org.mosaicbeam.dataset;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.Validation;
import org.mosaicbeam.io.StorageOptions;

/** Options of {@code scripts/mosaicbeam dataset}. List-valued options are comma-separated. */
public interface DatasetOptions extends StorageOptions {

  @Description(
      "Open Images bounding-box CSVs (train: 21 columns, validation/test: 13), "
          + "comma-separated paths or globs")
  @Validation.Required
  String getAnnotations();

  void setAnnotations(String value);

  @Description("class-descriptions-boxable.csv (no header: MID,Display name)")
  @Validation.Required
  String getClassDescriptions();

  void setClassDescriptions(String value);

  @Description(
      "Ordered classes (display names or MIDs, comma-separated); the order gives class_id 0..n-1")
  @Default.String("Vehicle registration plate")
  String getClasses();

  void setClasses(String value);

  @Description("Keep only images that contain a box of this class (display name or MID)")
  @Default.String("Vehicle registration plate")
  String getRequireClass();

  void setRequireClass(String value);

  @Description(
      "Where the <ImageID>.jpg files are: folders or globs, comma-separated "
          + "(tarballs .tar/.tar.gz/.tgz are routed to the tarball locator)")
  @Validation.Required
  String getImages();

  void setImages(String value);

  @Description(
      "Prefix of each manifest source-ref, e.g. s3://my-bucket/oid/ (the image file name is appended)")
  @Default.String("s3://my-bucket/images/")
  String getSourceRefPrefix();

  void setSourceRefPrefix(String value);

  // --jobName is Beam's own job name option (PipelineOptions#getJobName); the dataset uses it as
  // the Ground Truth job (attribute) name, "oid-plates" unless given (see DatasetPipeline#main).

  @Description(
      "At most this many images (a deterministic sample: smallest SHA-256 of the ImageID); "
          + "0 = all")
  @Default.Integer(0)
  int getMaxImages();

  void setMaxImages(int value);

  // required rather than defaulted: Beam requires same-named options of all interfaces in one JVM
  // to agree on their @Default
  @Description("Output folder (manifest/labels, images.txt, report.json, dead-letters.csv)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Output format: groundtruth (SageMaker Ground Truth manifest), yolo or coco")
  @Default.Enum("GROUNDTRUTH")
  Format getFormat();

  void setFormat(Format value);

  /** {@code --format}. */
  enum Format {
    GROUNDTRUTH,
    YOLO,
    COCO;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Description(
      "Largest image file used, in bytes (default: Rekognition's 15 MB per image). A larger "
          + "file, or tar member (extraction stops at this size), is a dead letter (too_large)")
  @Default.Long(15L * 1024 * 1024)
  long getMaxImageBytes();

  void setMaxImageBytes(long value);

  @Description("Keep images that break a Rekognition Custom Labels limit (they are still reported)")
  @Default.Boolean(false)
  boolean getKeepInvalid();

  void setKeepInvalid(boolean value);

  @Description("creation-date written into the manifest (ISO-8601); default: the run's start time")
  String getCreationDate();

  void setCreationDate(String value);

  @Hidden
  @Description("Bytes per CSV shard (one shard = one element; lines are never split)")
  @Default.Long(256L << 20)
  long getShardBytes();

  void setShardBytes(long value);

  @Description(
      "Hash buckets the image join groups into (default: the runner's parallelism: "
          + "--parallelism on Flink, --targetParallelism on the DirectRunner, else the cores here)")
  Integer getJoinBuckets();

  void setJoinBuckets(Integer value);

  @Description(
      "After a successful run, upload the images and then the manifest to s3://bucket/prefix/ "
          + "(as `scripts/mosaicbeam upload` does: skips what is there, --concurrency, --retries, --force)")
  String getUpload();

  void setUpload(String value);
}
