package org.mosaicbeam.evaluation;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code mosaicbeam make-face-set}. */
public interface FaceSetOptions extends PipelineOptions {
  @Description(
      "Directory to write: images/*.jpg and labels/faces.jsonl (one line per image: "
          + "file, width, height, faces as [x, y, w, h]).")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Directory of 1280x720 street frames to paste faces into (default: "
          + "../shared/data/plates-dev/images/train beside the checkout).")
  String getFrames();

  void setFrames(String value);

  @Description("How many 1280x720 frames with pasted faces.")
  @Default.Integer(100)
  int getFrames720();

  void setFrames720(int value);

  @Description("How many 1920x1080 frames (street frames upscaled) with pasted faces.")
  @Default.Integer(50)
  int getFrames1080();

  void setFrames1080(int value);

  // no @Default: see SampleOptions#getSeed
  @Description(
      "Random seed (default 11): the same seed, frames and photos give the same set, "
          + "byte for byte.")
  Long getSeed();

  void setSeed(Long value);

  /** {@code --seed}, or 11. */
  static long seed(FaceSetOptions o) {
    return o.getSeed() == null ? 11 : o.getSeed();
  }

  @Description("Also add the source photographs as they are, with their real faces annotated.")
  @Default.Boolean(true)
  boolean getPhotos();

  void setPhotos(boolean value);
}
