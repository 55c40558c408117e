package org.mosaicbeam.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.model.Detection;

/**
 * Annotated images for measuring a detector, one JSON line per image, the layout of {@code
 * plates-dev/labels/*.jsonl}: {@code {"file": "images/valid/x.jpg", "width": 1280, "height": 720,
 * "plates": [[x, y, w, h], ...], "faces": [[x, y, w, h], ...]}}. A missing list means that class is
 * not annotated in that image (it is then not scored there). Optional: {@code "ignore"} boxes
 * (faces-dev: faces WIDER marks invalid; a detection on one is neither found nor stray) and {@code
 * "region"} (plates-world: the plate's country group, scored apart).
 */
public final class GroundTruth {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One image: its file, its annotated boxes ({@code null}: class not annotated), the boxes to
   * ignore and its region ({@code null}: none given).
   */
  public record Image(
      File file,
      List<Detection> plates,
      List<Detection> faces,
      List<Detection> ignore,
      String region) {
    public Image(File file, List<Detection> plates, List<Detection> faces) {
      this(file, plates, faces, List.of(), null);
    }

    /** The annotated boxes of {@code label}, or {@code null} when that class is not annotated. */
    public List<Detection> truth(String label) {
      return label.equals(Detection.PLATE) ? plates : faces;
    }
  }

  private GroundTruth() {}

  /**
   * Reads a labels file. {@code file} is relative to the labels file's folder or, as in plates-dev
   * ({@code labels/valid.jsonl} naming {@code images/valid/...}), to its parent.
   */
  public static List<Image> read(File labels) {
    if (!labels.isFile()) {
      throw new UserError(labels + ": no such annotations file");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(labels.toPath(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError(labels + ": cannot read the annotations (" + e + ")");
    }
    File dir = labels.getAbsoluteFile().getParentFile();
    List<Image> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String where = labels + ":" + (i + 1);
      try {
        JsonNode n = JSON.readTree(lines.get(i));
        String name = n.path("file").asText(null);
        if (name == null) {
          throw new UserError(where + ": no \"file\"");
        }
        File f = new File(dir, name);
        if (!f.isFile()) {
          f = new File(dir.getParentFile(), name);
        }
        if (!f.isFile()) {
          throw new UserError(where + ": image " + name + " not found next to " + labels);
        }
        List<Detection> ignore = boxes(n, "ignore", Detection.FACE, where);
        out.add(
            new Image(
                f,
                boxes(n, "plates", Detection.PLATE, where),
                boxes(n, "faces", Detection.FACE, where),
                ignore == null ? List.of() : ignore,
                n.hasNonNull("region") ? n.get("region").asText() : null));
      } catch (IOException e) {
        throw new UserError(where + ": not a JSON line (" + e.getMessage() + ")");
      }
    }
    if (out.isEmpty()) {
      throw new UserError(labels + ": no annotated image");
    }
    return out;
  }

  private static List<Detection> boxes(JsonNode n, String field, String label, String where) {
    JsonNode arr = n.get(field);
    if (arr == null) {
      return null;
    }
    List<Detection> out = new ArrayList<>();
    for (JsonNode b : arr) {
      if (b.size() != 4) {
        throw new UserError(where + ": " + field + " boxes are [x, y, w, h], got " + b);
      }
      out.add(
          new Detection(
              label, 1, b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt()));
    }
    return out;
  }
}
