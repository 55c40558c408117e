package org.mosaicbeam.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One COCO detection JSON: images (id 1..n in ImageID order), annotations with {@code bbox = [left,
 * top, width, height]} in pixels, categories with {@code id = class_id}.
 */
final class CocoDataset {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CocoDataset() {}

  static ObjectNode build(List<ImageRecord> records, ClassMap classes, String creationDate) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("info")
        .put("description", "MosaicBeam dataset")
        .put("date_created", creationDate);
    ArrayNode images = root.putArray("images");
    ArrayNode annotations = root.putArray("annotations");
    int imageNo = 0;
    int annotationNo = 0;
    for (ImageRecord r : records) {
      imageNo++;
      images
          .addObject()
          .put("id", imageNo)
          .put("file_name", r.image().fileName())
          .put("width", r.image().width())
          .put("height", r.image().height());
      for (PixelBox b : r.boxes()) {
        ObjectNode a = annotations.addObject();
        a.put("id", ++annotationNo).put("image_id", imageNo).put("category_id", b.classId());
        a.putArray("bbox").add(b.left()).add(b.top()).add(b.width()).add(b.height());
        a.put("area", (long) b.width() * b.height()).put("iscrowd", 0);
      }
    }
    ArrayNode categories = root.putArray("categories");
    classes
        .classes()
        .forEach(
            c ->
                categories
                    .addObject()
                    .put("id", c.id())
                    .put("name", c.name())
                    .put("supercategory", "object"));
    return root;
  }
}
