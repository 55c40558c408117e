package org.mosaicbeam.anonymize;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.detection.DetectorOptions;

/** Options of {@code mosaicbeam detect}. */
public interface DetectOptions extends DetectorOptions {
  @Description(
      "An image, or a directory of images (jpg, png, bmp, webp, tif). Not needed with "
          + "--groundTruth (its images are used).")
  String getInput();

  void setInput(String value);

  @Description(
      "Output directory: detections.jsonl (one line per image) and, with --draw, "
          + "labelled copies of the images. Optional with --groundTruth.")
  String getOutput();

  void setOutput(String value);

  @Description("Also write a copy of each image with the boxes drawn and labelled.")
  @Default.Boolean(false)
  boolean getDraw();

  void setDraw(boolean value);

  @Description(
      "Measure the detector: a JSON Lines file of annotated images (the layout of "
          + "plates-dev/labels/valid.jsonl: file, plates and/or faces as [x, y, w, h]); prints recall, "
          + "stray boxes per image, recall by size and CPU ms per image.")
  String getGroundTruth();

  void setGroundTruth(String value);

  @Description(
      "Resize each image (and its annotations) by this factor before detecting: "
          + "--imageScale=1.5 measures plates-dev's 720p frames as 1080p frames.")
  @Default.Double(1.0)
  double getImageScale();

  void setImageScale(double value);
}
