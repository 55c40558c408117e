package org.mosaicbeam.training;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.model.rekognition.RekognitionClients;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/**
 * {@code scripts/mosaicbeam train ACTION --option=...}: the Rekognition Custom Labels lifecycle,
 * from the Ground Truth manifest the dataset pipeline writes to a running model and back to
 * stopped. Each action says what it does and what it costs where that is known.
 */
public final class TrainCommand {
  /** Action name → one-line help, in the order of the workflow. */
  static final Map<String, String> ACTIONS = new LinkedHashMap<>();

  static {
    ACTIONS.put("create-project", "--projectName=NAME: create a Custom Labels project (free)");
    ACTIONS.put(
        "create-datasets",
        "--projectArn=ARN --manifest=s3://… (--testManifest=s3://… | --autoSplit): training and "
            + "test datasets from Ground Truth manifests (free)");
    ACTIONS.put(
        "start-training",
        "--projectArn=ARN --versionName=V --outputS3=s3://bucket/prefix/: train a model version "
            + "(billed per training hour)");
    ACTIONS.put(
        "status", "--projectArn=ARN --versionName=V: poll until training completes or fails");
    ACTIONS.put("evaluate", "--projectArn=ARN --versionName=V: F1, precision, recall per label");
    ACTIONS.put(
        "start-model",
        "--projectArn=ARN --versionName=V [--minInferenceUnits=N] [--autoStopAfter=2h]: start the "
            + "model (billed per inference-unit hour until stopped)");
    ACTIONS.put(
        "stop-model", "--projectArn=ARN --versionName=V: stop the model (stops the billing)");
  }

  private TrainCommand() {}

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs one action; returns the process exit status (0 ok, 1 the operation failed). */
  public static int run(String[] args, PrintStream out) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    String action = args[0];
    if (!ACTIONS.containsKey(action)) {
      throw new UserError("unknown train action '" + action + "'; one of " + ACTIONS.keySet());
    }
    // Cli.parse also installs the options in Beam FileSystems: evaluate reads s3:// through it.
    TrainOptions options = Cli.parse(Arrays.copyOfRange(args, 1, args.length), TrainOptions.class);
    if (options == null) {
      out.println("train " + action + " " + ACTIONS.get(action));
      return 0; // --help printed
    }
    try (RekognitionClient client = RekognitionClients.create(options)) {
      CustomLabels labels = new CustomLabels(client, options, out);
      return switch (action) {
        case "create-project" -> labels.createProject();
        case "create-datasets" -> labels.createDatasets();
        case "start-training" -> labels.startTraining();
        case "status" -> labels.status();
        case "evaluate" -> labels.evaluate();
        case "start-model" -> labels.startModel();
        case "stop-model" -> labels.stopModel();
        default -> throw new IllegalStateException(action);
      };
    } catch (SdkClientException e) {
      // No credentials, no network, or retries exhausted on I/O errors: one clear line.
      throw new UserError("cannot call Rekognition: " + e.getMessage());
    } catch (RekognitionException e) {
      // The service's own message (never the request, which is signed with the credentials).
      out.println(
          "train "
              + action
              + ": Rekognition refused: "
              + (e.awsErrorDetails() != null
                  ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()
                  : e.getMessage()));
      return 1;
    }
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: scripts/mosaicbeam train ACTION [--option=value ...]   (ACTION --help for all options)");
    out.println(
        "AWS: --awsRegion=REGION; credentials from the SDK default chain "
            + "(env, profile, instance role); --rekognitionEndpoint=URL to override");
    ACTIONS.forEach((name, help) -> out.println("  " + name + " " + help));
  }
}
