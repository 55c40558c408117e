package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageHeaderTest {
  static byte[] encode(int w, int h, int type, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, type), format, out);
    return out.toByteArray();
  }

  private static ImageHeader read(byte[] bytes) throws IOException {
    return ImageHeader.read(new ByteArrayInputStream(bytes));
  }

  @Test
  void jpegColourAndGrayscale() throws IOException {
    assertEquals(
        new ImageHeader("jpeg", 321, 123, 3),
        read(encode(321, 123, BufferedImage.TYPE_3BYTE_BGR, "jpg")));
    assertEquals(
        new ImageHeader("jpeg", 64, 99, 1),
        read(encode(64, 99, BufferedImage.TYPE_BYTE_GRAY, "jpg")));
  }

  @Test
  void jpegWithLargeAppSegmentBeforeSof() throws IOException {
    byte[] jpeg = encode(200, 100, BufferedImage.TYPE_3BYTE_BGR, "jpg");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    for (int i = 0; i < 3; i++) { // three 60 KB APP1 segments, like a big EXIF block
      out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) 0xEA, (byte) 0x60});
      out.write(new byte[0xEA60 - 2]);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    assertEquals(new ImageHeader("jpeg", 200, 100, 3), read(out.toByteArray()));
  }

  @Test
  void png() throws IOException {
    assertEquals(
        new ImageHeader("png", 70, 80, 3), read(encode(70, 80, BufferedImage.TYPE_INT_RGB, "png")));
    assertEquals(
        new ImageHeader("png", 70, 80, 3),
        read(encode(70, 80, BufferedImage.TYPE_INT_ARGB, "png")));
    assertEquals(
        new ImageHeader("png", 5, 6, 1), read(encode(5, 6, BufferedImage.TYPE_BYTE_GRAY, "png")));
  }

  @Test
  void rejectsOtherFilesAndTruncatedHeaders() throws IOException {
    assertThrows(IOException.class, () -> read("GIF89a......".getBytes()));
    byte[] jpeg = encode(200, 100, BufferedImage.TYPE_3BYTE_BGR, "jpg");
    byte[] cut = java.util.Arrays.copyOf(jpeg, 30);
    assertThrows(IOException.class, () -> read(cut));
  }
}
