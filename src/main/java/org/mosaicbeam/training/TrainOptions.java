package org.mosaicbeam.training;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.model.rekognition.RekognitionClientOptions;

/** Options of the {@code train} subcommands (Rekognition Custom Labels lifecycle). */
public interface TrainOptions extends RekognitionClientOptions {
  @Description("Custom Labels project name (create-project)")
  String getProjectName();

  void setProjectName(String value);

  @Description("Custom Labels project ARN (printed by create-project)")
  String getProjectArn();

  void setProjectArn(String value);

  @Description("Model version name (start-training names it; the other commands look it up)")
  String getVersionName();

  void setVersionName(String value);

  @Description("s3://bucket/key of the Ground Truth training manifest (create-datasets)")
  String getManifest();

  void setManifest(String value);

  @Description("s3://bucket/key of a separate test manifest (create-datasets)")
  String getTestManifest();

  void setTestManifest(String value);

  @Description(
      "Let Rekognition move 20% of the training images into the test dataset (create-datasets)")
  @Default.Boolean(false)
  boolean getAutoSplit();

  void setAutoSplit(boolean value);

  @Description("s3://bucket/prefix/ where training writes its results (start-training)")
  String getOutputS3();

  void setOutputS3(String value);

  @Description("Inference units the model runs on (start-model); each is billed per hour")
  @Default.Integer(1)
  int getMinInferenceUnits();

  void setMinInferenceUnits(int value);

  @Description(
      "Upper bound for Rekognition's inference-unit auto-scaling (start-model); default: no scaling")
  Integer getMaxInferenceUnits();

  void setMaxInferenceUnits(Integer value);

  @Description(
      "start-model: keep the model running this long, then stop it (e.g. 90m, 2h, PT2H); the "
          + "command stays in the foreground meanwhile")
  String getAutoStopAfter();

  void setAutoStopAfter(String value);

  @Description("Wait for the operation to finish (status, start-model, stop-model)")
  @Default.Boolean(true)
  boolean getWait();

  void setWait(boolean value);

  @Description("How often to poll the status while waiting (e.g. 30s, 1m)")
  @Default.String("30s")
  String getPollInterval();

  void setPollInterval(String value);

  @Description(
      "Read the evaluation summary from this path instead of the S3 object Rekognition names")
  String getEvaluationSummary();

  void setEvaluationSummary(String value);

  @Description("USD per training hour, for the printed estimates (us-east-1 list price)")
  @Default.Double(1.0)
  double getPricePerTrainingHour();

  void setPricePerTrainingHour(double value);

  @Description(
      "USD per inference-unit hour of a running model, for the printed estimates (us-east-1 list price)")
  @Default.Double(4.0)
  double getPricePerInferenceUnitHour();

  void setPricePerInferenceUnitHour(double value);
}
