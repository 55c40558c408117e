package org.mosaicbeam.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * report.json: how many images had the required class, were selected, kept, left out and why; boxes
 * and images per class in the dataset; dead letters, in all and by kind; dataset-wide warnings.
 */
final class DatasetReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetReport() {}

  static ObjectNode build(
      List<ImageRecord> records,
      Selection selection,
      List<DeadLetter> deadLetters,
      ClassMap classes,
      List<String> imageFolders) {
    Map<DeadLetter.Kind, Long> byKind = new EnumMap<>(DeadLetter.Kind.class);
    for (DeadLetter.Kind kind : DeadLetter.Kind.values()) {
      byKind.put(kind, 0L);
    }
    deadLetters.forEach(d -> byKind.merge(d.kind(), 1L, Long::sum));
    long[] boxes = new long[classes.classes().size()];
    long[] images = new long[boxes.length];
    Map<String, Long> perSplit = new TreeMap<>();
    long kept = 0;
    long unusable = 0;
    long breakingLimits = 0;
    ArrayNode leftOut = JSON.createArrayNode();
    ArrayNode keptDespite = JSON.createArrayNode();
    for (ImageRecord r : records) {
      if (!r.image().usable()) {
        unusable++;
      } else if (!RekognitionLimits.check(r.image(), r.boxes().size()).isEmpty()) {
        breakingLimits++;
      }
      if (r.kept()) {
        kept++;
        perSplit.merge(r.split(), 1L, Long::sum);
        boolean[] seen = new boolean[boxes.length];
        for (PixelBox b : r.boxes()) {
          boxes[b.classId()]++;
          seen[b.classId()] = true;
        }
        for (int i = 0; i < seen.length; i++) {
          images[i] += seen[i] ? 1 : 0;
        }
      }
      if (!r.problems().isEmpty()) {
        ObjectNode entry = (r.kept() ? keptDespite : leftOut).addObject().put("image", r.imageId());
        r.problems().forEach(entry.putArray("reasons")::add);
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.putObject("required_class")
        .put("mid", classes.requiredMid())
        .put("name", classes.requiredName());
    ObjectNode counts = root.putObject("images");
    counts.put("with_required_class", selection.candidates());
    counts.put("selected", selection.imageIds().size());
    counts.put("in_dataset", kept);
    counts.put("left_out", records.size() - kept);
    counts.put("missing_or_unreadable", unusable);
    counts.put("breaking_limits", breakingLimits);
    counts.put("truncated", byKind.get(DeadLetter.Kind.TRUNCATED));
    counts.put("too_large", byKind.get(DeadLetter.Kind.TOO_LARGE));
    ArrayNode perClass = root.putArray("classes");
    int labelsPresent = 0;
    for (ClassMap.OutputClass c : classes.classes()) {
      perClass
          .addObject()
          .put("class_id", c.id())
          .put("mid", c.mid())
          .put("name", c.name())
          .put("boxes", boxes[c.id()])
          .put("images", images[c.id()]);
      labelsPresent += boxes[c.id()] > 0 ? 1 : 0;
    }
    ObjectNode splits = root.putObject("images_per_split"); // of the images in the dataset
    perSplit.forEach(splits::put);
    root.put("dead_letter_rows", deadLetters.size());
    ObjectNode kinds = root.putObject("dead_letters");
    byKind.forEach((kind, n) -> kinds.put(kind.label(), n));
    ArrayNode warnings = root.putArray("warnings");
    if (labelsPresent < RekognitionLimits.MIN_LABELS) {
      warnings.add(
          "Rekognition Custom Labels needs at least "
              + RekognitionLimits.MIN_LABELS
              + " labels in a dataset; this one has "
              + labelsPresent);
    }
    root.set("left_out", leftOut);
    root.set("kept_despite_limits", keptDespite);
    // upload reads image files only from the output folder and these (the run's --images folders)
    imageFolders.forEach(root.putArray("image_folders")::add);
    return root;
  }
}
