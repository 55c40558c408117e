package org.mosaicbeam.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;

/**
 * One line of a SageMaker Ground Truth object-detection manifest (the format Rekognition Custom
 * Labels imports):
 *
 * <pre>{"source-ref": "s3://…/ID.jpg",
 *  "JOB": {"image_size": [{"width", "height", "depth"}],
 *          "annotations": [{"class_id", "left", "top", "width", "height"}]},
 *  "JOB-metadata": {"objects": [{"confidence"}], "class-map": {"0": "name"}, "type":
 *          "groundtruth/object-detection", "human-annotated": "yes", "creation-date": "…",
 *          "job-name": "labeling-job/JOB"}}</pre>
 *
 * The class-map holds only the classes present in that image.
 */
final class GroundTruthManifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GroundTruthManifest() {}

  static String line(
      ImageRecord record,
      ClassMap classes,
      String jobName,
      String sourceRefPrefix,
      String creationDate) {
    ImageLocation image = record.image();
    ObjectNode root = JSON.createObjectNode();
    root.put("source-ref", sourceRefPrefix + image.fileName());
    ObjectNode job = root.putObject(jobName);
    ObjectNode size = job.putArray("image_size").addObject();
    size.put("width", image.width());
    size.put("height", image.height());
    size.put("depth", image.depth());
    ArrayNode annotations = job.putArray("annotations");
    ObjectNode meta = JSON.createObjectNode();
    ArrayNode objects = meta.putArray("objects");
    TreeMap<Integer, String> present = new TreeMap<>();
    for (PixelBox box : record.boxes()) {
      ObjectNode a = annotations.addObject();
      a.put("class_id", box.classId());
      a.put("left", box.left());
      a.put("top", box.top());
      a.put("width", box.width());
      a.put("height", box.height());
      objects.addObject().put("confidence", box.confidence());
      present.put(box.classId(), classes.classes().get(box.classId()).name());
    }
    ObjectNode classMap = meta.putObject("class-map");
    present.forEach((id, name) -> classMap.put(String.valueOf(id), name));
    meta.put("type", "groundtruth/object-detection");
    meta.put("human-annotated", "yes");
    meta.put("creation-date", creationDate);
    meta.put("job-name", "labeling-job/" + jobName);
    root.set(jobName + "-metadata", meta);
    return root.toString();
  }
}
