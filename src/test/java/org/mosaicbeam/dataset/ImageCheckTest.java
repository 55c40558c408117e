package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole and cut JPEG and PNG files, written by ImageIO, through {@link ImageCheck#inspect}. */
class ImageCheckTest {
  @TempDir Path dir;

  private ImageCheck.Result check(String name, byte[] bytes, long maxImageBytes)
      throws IOException {
    Path file = Files.write(dir.resolve(name), bytes);
    return ImageCheck.inspect(
        "id", FileSystems.matchSingleFileSpec(file.toString()), maxImageBytes);
  }

  @Test
  void wholeFilesAreUsedAndCutOnesAreTruncated() throws IOException {
    byte[] jpeg = ImageHeaderTest.encode(300, 200, BufferedImage.TYPE_3BYTE_BGR, "jpg");
    byte[] png = ImageHeaderTest.encode(300, 200, BufferedImage.TYPE_3BYTE_BGR, "png");
    for (byte[] whole : new byte[][] {jpeg, png}) {
      assertNull(check("whole", whole, 1 << 20).deadLetter());
    }
    // trailing NUL padding after the EOI marker is not a cut
    assertNull(check("padded.jpg", Arrays.copyOf(jpeg, jpeg.length + 300), 1 << 20).deadLetter());

    ImageCheck.Result halfJpeg = check("half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2), 1 << 20);
    assertEquals(DeadLetter.Kind.TRUNCATED, halfJpeg.deadLetter().kind());
    assertEquals(
        "truncated image: the JPEG does not end with its EOI marker (FF D9)",
        halfJpeg.deadLetter().reason());
    ImageCheck.Result shortPng = check("short.png", Arrays.copyOf(png, png.length - 1), 1 << 20);
    assertEquals(
        "truncated image: the PNG does not end with its IEND chunk",
        shortPng.deadLetter().reason());
    ImageCheck.Result onlyHeader = check("header.jpg", Arrays.copyOf(jpeg, 40), 1 << 20);
    assertEquals(
        "truncated image: the file ends inside its header", onlyHeader.deadLetter().reason());
    for (ImageCheck.Result bad : new ImageCheck.Result[] {halfJpeg, shortPng, onlyHeader}) {
      assertEquals(false, bad.location().usable());
    }
  }

  @Test
  void aFileOverTheLimitIsNotOpened() throws IOException {
    byte[] jpeg = ImageHeaderTest.encode(300, 200, BufferedImage.TYPE_3BYTE_BGR, "jpg");
    ImageCheck.Result result = check("big.jpg", jpeg, jpeg.length - 1);
    assertEquals(DeadLetter.Kind.TOO_LARGE, result.deadLetter().kind());
    assertEquals(false, result.location().usable());
    assertNull(check("ok.jpg", jpeg, jpeg.length).deadLetter());
  }
}
