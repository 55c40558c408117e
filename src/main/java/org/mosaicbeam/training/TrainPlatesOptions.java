package org.mosaicbeam.training;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code mosaicbeam train-plates}: re-training the local plate verifier. */
public interface TrainPlatesOptions extends PipelineOptions {
  String DEV_LABELS =
      "../shared/data/plates-dev/labels/train.jsonl,../shared/data/plates-world/labels/train.jsonl";

  @Description(
      "Annotated training images, comma-separated label files (plates-dev layout: one JSON "
          + "line per image with \"plates\": [[x, y, w, h], ...]). Never the split you measure on. "
          + "Default: the train splits of plates-dev and plates-world in ../shared/data beside the "
          + "checkout.")
  @Default.String(DEV_LABELS)
  String getLabels();

  void setLabels(String value);

  @Description(
      "Where to write the model (ONNX); a note of how it was made is written next to it (same "
          + "name, .md). The default is the file the project ships.")
  @Default.String("models/plate-verifier.onnx")
  String getModel();

  void setModel(String value);

  @Description(
      "Where to write the plate finder network (ONNX), trained first; the verifier then learns "
          + "from its candidates. The default is the file the project ships.")
  @Default.String("models/plate-net.onnx")
  String getNetModel();

  void setNetModel(String value);

  @Description(
      "Training steps of the plate finder network (16 crops each); 0 = keep --netModel as it is "
          + "and train only the verifier on its candidates.")
  @Default.Integer(6000)
  int getNetSteps();

  void setNetSteps(int value);

  // no @Default: see SampleOptions#getSeed
  @Description(
      "Seed for the shifted copies of annotated plates, the image sample and the network's "
          + "training (default 20261202).")
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

  @Description("Training epochs of the network (each fold and the final model).")
  @Default.Integer(16)
  int getEpochs();

  void setEpochs(int value);

  @Description(
      "PyTorch threads. The same data, seed and thread count give the same model, byte for "
          + "byte.")
  @Default.Integer(2)
  int getThreads();

  void setThreads(int value);

  @Description(
      "The Python 3 with PyTorch that trains the network (default: Debian's /usr/bin/python3, "
          + "whose python3-torch scripts/setup installs, else python3 on the PATH).")
  String getPython();

  void setPython(String value);

  /** {@code --python}, or Debian's Python when there is one (a pyenv's may lack PyTorch). */
  static String python(TrainPlatesOptions o) {
    if (o.getPython() != null) {
      return o.getPython();
    }
    return new java.io.File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
  }

  @Description(
      "Cross-validation folds for the printed scores (images grouped by ride and "
          + "minute, so near-identical frames stay in one fold); 0 = skip.")
  @Default.Integer(5)
  int getFolds();

  void setFolds(int value);
}
