package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RekognitionLimitsTest {
  private static ImageLocation image(String format, int w, int h, long bytes) {
    return new ImageLocation("id", "/x/id.jpg", bytes, format, w, h, 3, null);
  }

  @Test
  void acceptsImagesWithinLimits() {
    assertEquals(List.of(), RekognitionLimits.check(image("jpeg", 64, 64, 1000), 1));
    assertEquals(List.of(), RekognitionLimits.check(image("png", 4096, 4096, 15L << 20), 50));
    assertEquals(
        List.of(), RekognitionLimits.check(image("jpeg", 2000, 100, 1000), 1)); // 20:1 exactly
  }

  @Test
  void reportsEachBrokenLimit() {
    assertEquals(
        List.of("width 63 px (must be 64-4096)"),
        RekognitionLimits.check(image("jpeg", 63, 64, 1), 1));
    assertEquals(
        List.of("height 4097 px (must be 64-4096)"),
        RekognitionLimits.check(image("jpeg", 300, 4097, 1), 1));
    assertEquals(
        List.of("file is 15728641 bytes (max 15 MB)"),
        RekognitionLimits.check(image("jpeg", 100, 100, (15L << 20) + 1), 1));
    assertEquals(
        List.of("51 boxes (max 50)"), RekognitionLimits.check(image("png", 100, 100, 1), 51));
    assertEquals(
        List.of("aspect ratio 2100:100 (max 20:1)"),
        RekognitionLimits.check(image("jpeg", 2100, 100, 1), 1));
    assertEquals(
        List.of("format gif (JPEG or PNG only)"),
        RekognitionLimits.check(image("gif", 100, 100, 1), 1));
  }
}
