package org.mosaicbeam.anonymize;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.mosaicbeam.model.DetectorOptions;

/** Options of {@code mosaicbeam detect}. */
public interface DetectOptions extends DetectorOptions {
  @Description("An image, or a directory of images (jpg, png, bmp, webp, tif).")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Output directory: detections.jsonl (one line per image) and, with --draw, "
      + "labelled copies of the images.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Also write a copy of each image with the boxes drawn and labelled.")
  @Default.Boolean(false)
  boolean getDraw();

  void setDraw(boolean value);
}
