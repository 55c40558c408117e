package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detect} on a directory: one JSON line per image, labelled copies with --draw. */
class DetectCommandTest {
  @TempDir Path dir;

  @Test
  void writesOneLinePerImageAndDrawings() throws Exception {
    Path in = dir.resolve("images");
    Files.createDirectories(in);
    Files.copy(
        Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg"), in.resolve("messi5.jpg"));
    Files.writeString(in.resolve("broken.png"), "not an image");
    Files.writeString(in.resolve("readme.txt"), "ignored: not an image extension");
    Path out = dir.resolve("out");
    DetectCommand.main(new String[] {"--input=" + in, "--output=" + out, "--draw"});

    List<String> lines = Files.readAllLines(out.resolve("detections.jsonl"));
    assertEquals(2, lines.size(), String.valueOf(lines));
    ObjectMapper json = new ObjectMapper();
    JsonNode broken = json.readTree(lines.get(0));
    assertTrue(broken.get("file").asText().endsWith("broken.png"));
    assertTrue(broken.has("error"));
    JsonNode messi = json.readTree(lines.get(1));
    assertEquals(548, messi.get("width").asInt());
    assertEquals(342, messi.get("height").asInt());
    JsonNode face = messi.get("boxes").get(0);
    assertEquals("face", face.get("label").asText());
    for (String field : List.of("score", "x", "y", "width", "height")) {
      assertTrue(face.has(field), field);
    }
    File drawn = out.resolve("messi5.detections.jpg").toFile();
    assertTrue(drawn.length() > 1000, "labelled copy written");
  }
}
