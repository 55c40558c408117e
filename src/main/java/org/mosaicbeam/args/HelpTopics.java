package org.mosaicbeam.args;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code SUBCOMMAND --help} says besides the options themselves: a usage line, examples, and
 * which options go together. Descriptions, values and defaults come from the options interfaces
 * ({@link Help}); an option of ours left out of every group is still listed, under "other".
 */
final class HelpTopics {
  private HelpTopics() {}

  /** One subcommand's help; {@code groups}: title → option names, in the order shown. */
  record Topic(
      String summary, String usage, List<String> examples, Map<String, List<String>> groups) {}

  /**
   * An inherited option's text where Beam's or the AWS SDK's says the wrong thing for this tool.
   */
  record Override(String placeholder, String description, String defaultText) {}

  static final Map<String, Override> OVERRIDES =
      Map.of(
          "awsRegion",
              new Override(
                  "REGION",
                  "AWS region, e.g. eu-west-1.",
                  "AWS_REGION, aws.region or the AWS profile; else the SDK's chain when a client is built"),
          "endpoint",
              new Override(
                  "URL",
                  "An S3-compatible server instead of AWS (MinIO, S3Proxy, "
                      + "Ceph), e.g. http://127.0.0.1:9000. Credentials: the AWS SDK's default chain only "
                      + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, a role).",
                  null),
          "runner",
              new Override(
                  "DirectRunner|FlinkRunner",
                  "Where the pipeline runs: this machine, or "
                      + "the Flink cluster set in runners/flink/options.args.",
                  "DirectRunner"),
          "targetParallelism",
              new Override(
                  "N", "DirectRunner: work items in flight at once.", "the number of cores"),
          "jobName",
              new Override(
                  "NAME",
                  "Ground Truth job name: the manifest's attribute names "
                      + "(NAME, NAME-metadata) and job-name labeling-job/NAME.",
                  "oid-plates"));

  private static final List<String> AWS = List.of("awsRegion", "endpoint", "s3PathStyle");
  private static final List<String> REKOGNITION =
      List.of(
          "projectVersionArn",
          "plateLabels",
          "maxConcurrentCalls",
          "maxCallsPerSecond",
          "pricePerImage",
          "stageFramesTo",
          "rekognitionMaxImageSide",
          "rekognitionJpegQuality",
          "rekognitionEndpoint",
          "rekognitionMaxRetries",
          "rekognitionBaseBackoffMillis");
  private static final List<String> DETECTORS =
      List.of(
          "detector",
          "faceDetector",
          "plateDetector",
          "faceModel",
          "faceScale",
          "faceSearchSide",
          "faceSearch",
          "faceMinConfidence",
          "plateModel",
          "plateMinConfidence",
          "plateSearchSide",
          "plateNet",
          "plateVerifier",
          "modelDir");

  static final Map<String, Topic> TOPICS = new LinkedHashMap<>();

  static {
    TOPICS.put(
        "dataset",
        new Topic(
            "Open Images CSVs -> Ground Truth manifest (or YOLO, COCO)",
            "scripts/mosaicbeam dataset --annotations=CSV,... --classDescriptions=CSV --images=DIR,... "
                + "--output=DIR [options] [@job.args]",
            List.of(
                "scripts/mosaicbeam dataset @pipelines/sample-plates.args",
                "scripts/mosaicbeam dataset @pipelines/sample-plates.args --format=yolo --output=out/yolo",
                "scripts/mosaicbeam dataset @pipelines/oid-plates.args --maxImages=500"),
            groups(
                "input/output",
                List.of(
                    "annotations",
                    "classDescriptions",
                    "images",
                    "output",
                    "format",
                    "sourceRefPrefix",
                    "creationDate",
                    "upload"),
                "selection",
                List.of(
                    "classes",
                    "requireClass",
                    "maxImages",
                    "maxImageBytes",
                    "keepInvalid",
                    "jobName"),
                "upload (with --upload)",
                List.of("force", "concurrency", "retries"),
                "performance",
                List.of("runner"),
                "AWS",
                AWS)));
    TOPICS.put(
        "generate-oid-sample",
        new Topic(
            "OID-shaped sample CSVs and images, no download",
            "scripts/mosaicbeam generate-oid-sample [--rows=N] [--output=DIR]",
            List.of("scripts/mosaicbeam generate-oid-sample --rows=200000 --output=sample"),
            groups(
                "output",
                List.of("output", "noImages"),
                "content",
                List.of("rows", "seed", "plateImageFraction", "malformedRows", "missingImages"))));
    TOPICS.put(
        "upload",
        new Topic(
            "a dataset's images and manifest into an S3 bucket",
            "scripts/mosaicbeam upload --manifest=FILE --bucket=NAME [--prefix=PREFIX] [options]",
            List.of(
                "scripts/mosaicbeam upload --manifest=out/sample-plates/manifest.jsonl --bucket=my-bucket "
                    + "--prefix=oid/plates/",
                "scripts/mosaicbeam upload --manifest=out/sample-plates/manifest.jsonl --bucket=test "
                    + "--endpoint=http://127.0.0.1:9000 --s3PathStyle=true"),
            groups(
                "input/output",
                List.of("manifest", "bucket", "prefix", "imageList", "force"),
                "performance",
                List.of("concurrency", "retries"),
                "AWS",
                AWS)));
    TOPICS.put(
        "train",
        new Topic(
            "the Rekognition Custom Labels lifecycle (scripts/mosaicbeam train lists the actions)",
            "scripts/mosaicbeam train ACTION [options]   (ACTION: create-project, create-datasets, "
                + "start-training, status, evaluate, start-model, stop-model)",
            List.of(
                "scripts/mosaicbeam train create-project --projectName=plates",
                "scripts/mosaicbeam train start-training --projectArn=ARN --versionName=v1 "
                    + "--outputS3=s3://my-bucket/training/",
                "scripts/mosaicbeam train start-model --projectArn=ARN --versionName=v1 --autoStopAfter=2h"),
            groups(
                "project",
                List.of(
                    "projectName",
                    "projectArn",
                    "versionName",
                    "manifest",
                    "testManifest",
                    "autoSplit",
                    "outputS3",
                    "evaluationSummary"),
                "model",
                List.of(
                    "minInferenceUnits",
                    "maxInferenceUnits",
                    "autoStopAfter",
                    "wait",
                    "pollInterval"),
                "costs",
                List.of("pricePerTrainingHour", "pricePerInferenceUnitHour"),
                "AWS",
                List.of(
                    "awsRegion",
                    "rekognitionEndpoint",
                    "rekognitionMaxRetries",
                    "rekognitionBaseBackoffMillis"))));
    TOPICS.put(
        "train-plates",
        new Topic(
            "re-train the plate finder network and verifier (models/plate-*.onnx; needs PyTorch)",
            "scripts/mosaicbeam train-plates [--labels=FILE.jsonl,...] [--model=FILE.onnx] [options]",
            List.of(
                "scripts/mosaicbeam train-plates",
                "scripts/mosaicbeam train-plates --maxImages=200 --folds=0 --netSteps=500 "
                    + "--netModel=/tmp/net.onnx --model=/tmp/verifier.onnx",
                "scripts/mosaicbeam train-plates --netSteps=0   # the verifier alone, on the "
                    + "shipped network's candidates"),
            groups(
                "input/output",
                List.of("labels", "model", "netModel"),
                "training",
                List.of("seed", "maxImages", "netSteps", "epochs", "folds", "threads", "python"))));
    TOPICS.put(
        "detect",
        new Topic(
            "find faces and plates in images; measure the detectors",
            "scripts/mosaicbeam detect IMAGE|DIR --output=DIR [--draw] [options]",
            List.of(
                "scripts/mosaicbeam detect photo.jpg --output=out/detect --draw",
                "scripts/mosaicbeam detect --groundTruth=../shared/data/plates-dev/labels/valid.jsonl "
                    + "--faceModel=none"),
            groups(
                "input/output",
                List.of("input", "output", "draw", "groundTruth", "imageScale"),
                "detection",
                DETECTORS,
                "Rekognition (--detector=rekognition)",
                REKOGNITION,
                "AWS",
                AWS)));
    TOPICS.put(
        "make-face-set",
        new Topic(
            "a face test set from photos Debian ships",
            "scripts/mosaicbeam make-face-set --output=DIR [options]",
            List.of(
                "scripts/mosaicbeam make-face-set --output=out/faces",
                "scripts/mosaicbeam detect --groundTruth=out/faces/labels/faces.jsonl --plateModel=none"),
            groups(
                "input/output",
                List.of("output", "frames", "photos"),
                "content",
                List.of("frames720", "frames1080", "seed"))));
    TOPICS.put(
        "verify",
        new Topic(
            "privacy QA of written videos: what the detectors still find (exit 1 if anything)",
            "scripts/mosaicbeam verify OUTPUT.mp4|DIR [--every=N] [--minConfidence=X]",
            List.of(
                "scripts/mosaicbeam verify ride.anonymized.mp4",
                "scripts/mosaicbeam verify out/ --every=5 --findings=out/findings.jsonl"),
            groups(
                "input/output",
                List.of("input", "findings"),
                "checking",
                concat(List.of("every", "minConfidence"), DETECTORS),
                "Rekognition (--detector=rekognition)",
                REKOGNITION,
                "AWS",
                AWS)));
    TOPICS.put(
        "make-motion-set",
        new Topic(
            "clips of faces and plates that move, with their boxes on every frame",
            "scripts/mosaicbeam make-motion-set --output=DIR [options]",
            List.of(
                "scripts/mosaicbeam make-motion-set --output=out/motion",
                "scripts/bench-coverage \"--detectEvery=4 --holdFrames=3 --track=false\" \"\""),
            groups(
                "input/output",
                List.of("output", "frames", "plates"),
                "content",
                List.of("seconds", "kinds", "seed"))));
    TOPICS.put(
        "coverage",
        new Topic(
            "the share of object-frames an anonymize run masked, per kind of motion",
            "scripts/mosaicbeam coverage --truth=DIR/truth.jsonl --detections=AUDIT.jsonl",
            List.of(
                "scripts/mosaicbeam anonymize --input=out/motion --output=out/motion-out "
                    + "--detections=out/motion-audit.jsonl",
                "scripts/mosaicbeam coverage --truth=out/motion/truth.jsonl "
                    + "--detections=out/motion-audit.jsonl"),
            groups("input", List.of("truth", "detections", "minCovered"))));
    TOPICS.put(
        "anonymize",
        new Topic(
            "mask faces and licence plates in videos",
            "scripts/mosaicbeam anonymize VIDEO|DIR [--output=FILE.mp4|DIR] [options]",
            List.of(
                "scripts/mosaicbeam anonymize ride.mp4            # writes ride.anonymized.mp4 next to it",
                "scripts/mosaicbeam anonymize --input=rides/ --output=out/ --detections=out/audit.jsonl",
                "scripts/mosaicbeam anonymize --watch=s3://my-bucket/incoming/ --output=s3://my-bucket/anonymized/"),
            groups(
                "input/output",
                List.of(
                    "input",
                    "output",
                    "detections",
                    "audio",
                    "allowTruncated",
                    "watch",
                    "watchIntervalSeconds",
                    "watchSettleSeconds",
                    "verify",
                    "verifyEvery",
                    "debugFrames"),
                "detection",
                concat(DETECTORS, List.of("detectEvery", "holdFrames", "track", "onDetectorError")),
                "masking",
                List.of("mask", "maskScale", "mosaicRatio"),
                "encoding",
                List.of("encoder", "preset", "crf", "bitsPerPixel"),
                "performance",
                List.of("segmentFrames", "runner", "targetParallelism"),
                "Rekognition (--detector=rekognition)",
                REKOGNITION,
                "AWS",
                AWS)));
    TOPICS.put(
        "generate-video-sample",
        new Topic(
            "the demo's synthetic dashcam clip",
            "scripts/mosaicbeam generate-video-sample --output=FILE.mp4 [--seconds=N]",
            List.of("scripts/mosaicbeam generate-video-sample --output=out/demo/sample.mp4"),
            groups("options", List.of("output", "seconds", "facePhoto"))));
  }

  /** The topic of {@code command}; a plain one for a subcommand without its own. */
  static Topic of(String command) {
    Topic t = TOPICS.get(command);
    return t != null
        ? t
        : new Topic(
            "",
            "scripts/mosaicbeam "
                + (command.isEmpty() ? "SUBCOMMAND" : command)
                + " [--option=value ...] [@job.args]",
            List.of(),
            Map.of());
  }

  private static Map<String, List<String>> groups(Object... titleAndNames) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < titleAndNames.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) titleAndNames[i + 1];
      m.put((String) titleAndNames[i], names);
    }
    return m;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
