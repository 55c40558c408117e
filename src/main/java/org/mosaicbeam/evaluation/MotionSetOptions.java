package org.mosaicbeam.evaluation;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code mosaicbeam make-motion-set}. */
public interface MotionSetOptions extends PipelineOptions {
  @Description(
      "Directory to write: one KIND.mp4 per kind of motion and truth.jsonl (one line per "
          + "object and frame: clip, kind, frame, object, label, box as [x, y, w, h]).")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Directory of street frames (*.jpg) to use as backgrounds (default: "
          + "../shared/data/plates-dev/images/train beside the checkout).")
  String getFrames();

  void setFrames(String value);

  @Description(
      "Annotated plates to cut out and move (a labels file as plates-world's; default: "
          + "../shared/data/plates-world/labels/train.jsonl beside the checkout).")
  String getPlates();

  void setPlates(String value);

  @Description("Length of each clip in seconds (30 fps).")
  @Default.Integer(3)
  int getSeconds();

  void setSeconds(int value);

  @Description(
      "Kinds of motion, comma-separated (default all: drift, overtake, crossing, zoom, shake, "
          + "enter).")
  @Default.String("drift,overtake,crossing,zoom,shake,enter")
  String getKinds();

  void setKinds(String value);

  // no @Default: see SampleOptions#getSeed
  @Description("Random seed (default 19): the same seed and sources give the same clips.")
  Long getSeed();

  void setSeed(Long value);

  /** {@code --seed}, or 19. */
  static long seed(MotionSetOptions o) {
    return o.getSeed() == null ? 19 : o.getSeed();
  }
}
