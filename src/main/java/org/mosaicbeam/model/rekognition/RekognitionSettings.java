package org.mosaicbeam.model.rekognition;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.mosaicbeam.base.UserError;

/**
 * Everything a {@link RekognitionDetector} needs, as a serializable value that travels inside a
 * DoFn to the workers (the credentials provider travels as its JSON description).
 *
 * @param faces detect faces with DetectFaces
 * @param faceMinConfidence in [0, 1]
 * @param plates detect plates with DetectCustomLabels
 * @param plateMinConfidence in [0, 1]
 */
public record RekognitionSettings(
    ClientConfiguration client,
    int maxRetries,
    long baseBackoffMillis,
    int maxConcurrentCalls,
    double maxCallsPerSecond,
    boolean faces,
    float faceMinConfidence,
    boolean plates,
    float plateMinConfidence,
    String projectVersionArn,
    List<String> plateLabels,
    double pricePerImage,
    String stageFramesTo,
    int maxImageSide,
    int jpegQuality)
    implements Serializable {

  public RekognitionSettings {
    plateLabels = List.copyOf(plateLabels);
    if (!faces && !plates) {
      throw new IllegalArgumentException("the Rekognition detector must detect faces or plates");
    }
    if (plates && (projectVersionArn == null || projectVersionArn.isBlank())) {
      throw new UserError(
          "plates through Rekognition need --projectVersionArn=ARN of a running Custom Labels "
              + "model (see `scripts/mosaicbeam train start-model`)");
    }
    if (maxConcurrentCalls < 1) {
      throw new UserError("--maxConcurrentCalls must be at least 1");
    }
    if (stageFramesTo != null && !stageFramesTo.isBlank() && !stageFramesTo.startsWith("s3://")) {
      throw new UserError("--stageFramesTo must be an s3://bucket/prefix/ location");
    }
  }

  /**
   * Reads the backend's options; which labels it detects and the thresholds come from the caller.
   */
  public static RekognitionSettings from(
      RekognitionOptions o,
      boolean faces,
      float faceMinConfidence,
      boolean plates,
      float plateMinConfidence) {
    List<String> labels =
        Arrays.stream(o.getPlateLabels().split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    return new RekognitionSettings(
        RekognitionClients.configuration(o),
        o.getRekognitionMaxRetries(),
        o.getRekognitionBaseBackoffMillis(),
        o.getMaxConcurrentCalls(),
        o.getMaxCallsPerSecond(),
        faces,
        faceMinConfidence,
        plates,
        plateMinConfidence,
        o.getProjectVersionArn(),
        labels,
        o.getPricePerImage(),
        o.getStageFramesTo(),
        o.getRekognitionMaxImageSide(),
        o.getRekognitionJpegQuality());
  }

  /** Never prints the client configuration: it may carry static credentials. */
  @Override
  public String toString() {
    return "RekognitionSettings[region="
        + client.region()
        + ", endpoint="
        + client.endpoint()
        + ", faces="
        + faces
        + ", plates="
        + plates
        + ", projectVersionArn="
        + projectVersionArn
        + ", maxConcurrentCalls="
        + maxConcurrentCalls
        + ", maxCallsPerSecond="
        + maxCallsPerSecond
        + "]";
  }

  CallGate.Key gateKey() {
    return new CallGate.Key(
        client, maxRetries, baseBackoffMillis, maxConcurrentCalls, maxCallsPerSecond);
  }
}
