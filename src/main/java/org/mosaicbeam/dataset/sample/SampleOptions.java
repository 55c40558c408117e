package org.mosaicbeam.dataset.sample;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of {@code scripts/mosaicbeam generate-oid-sample} (also {@code
 * scripts/generate-oid-sample}).
 */
public interface SampleOptions extends PipelineOptions {
  @Description(
      "Rows of the train CSV (the full OID v6 train file has 14610229); validation and "
          + "test get OID's proportions of it (2.1 % and 6.4 %)")
  @Default.Long(200_000)
  long getRows();

  void setRows(long value);

  // no @Default: Beam requires same-named options of all interfaces in one JVM to agree on it
  @Description("Output folder (CSV files at the top, images under images/); default: sample")
  String getOutput();

  void setOutput(String value);

  // no @Default: other subcommands' --seed defaults differ, and Beam refuses one property with
  // two defaults in one JVM (the tests run them all in one); seed() supplies this one's
  @Description("Random seed (default 42): the same seed and rows give byte-identical files")
  Long getSeed();

  void setSeed(Long value);

  /** {@code --seed}, or 42. */
  static long seed(SampleOptions o) {
    return o.getSeed() == null ? 42 : o.getSeed();
  }

  @Description("Fraction of images with a Vehicle registration plate box (OID: about 0.4 %)")
  @Default.Double(0.004)
  double getPlateImageFraction();

  void setPlateImageFraction(double value);

  @Description("Deliberately malformed rows, placed in plate images (they go to the dead letters)")
  @Default.Integer(5)
  int getMalformedRows();

  void setMalformedRows(int value);

  @Description("Plate images whose JPEG is deliberately not written (reported as missing)")
  @Default.Integer(1)
  int getMissingImages();

  void setMissingImages(int value);

  @Description("Write no images at all (CSV files only)")
  @Default.Boolean(false)
  boolean getNoImages();

  void setNoImages(boolean value);
}
