package org.mosaicbeam.training;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code mosaicbeam train-plates}: re-training the local plate verifier. */
public interface TrainPlatesOptions extends PipelineOptions {
  @Description(
      "Annotated training images (plates-dev layout: one JSON line per image with "
          + "\"plates\": [[x, y, w, h], ...]). Never the split you measure on.")
  @Default.String("../shared/data/plates-dev/labels/train.jsonl")
  String getLabels();

  void setLabels(String value);

  @Description(
      "Where to write the model (gzipped OpenCV YAML); a note of how it was made is "
          + "written next to it (same name, .md). The default is the file the project ships.")
  @Default.String("models/plate-verifier.yml.gz")
  String getModel();

  void setModel(String value);

  // no @Default: see SampleOptions#getSeed
  @Description(
      "Seed for the shifted copies of annotated plates and the image sample (default "
          + "20261202).")
  Long getSeed();

  void setSeed(Long value);

  /** {@code --seed}, or 20261202. */
  static long seed(TrainPlatesOptions o) {
    return o.getSeed() == null ? 20261202L : o.getSeed();
  }

  @Description("Use only this many images (a seeded sample; 0 = all).")
  @Default.Integer(0)
  int getMaxImages();

  void setMaxImages(int value);

  @Description("Boosted trees in the model.")
  @Default.Integer(200)
  int getTrees();

  void setTrees(int value);

  @Description("Depth of each tree.")
  @Default.Integer(3)
  int getTreeDepth();

  void setTreeDepth(int value);

  @Description(
      "Cross-validation folds for the printed scores (images grouped by ride and "
          + "minute, so near-identical frames stay in one fold); 0 = skip.")
  @Default.Integer(5)
  int getFolds();

  void setFolds(int value);
}
