package org.mosaicbeam.dataset;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Width, height and depth of a JPEG or PNG read from its header, without decoding pixels: JPEG from
 * the first SOFn segment (skipping APPn/EXIF segments by their length), PNG from IHDR. Depth is 1
 * for grayscale and 3 for colour (an alpha channel is not counted; CMYK JPEG gives 4).
 */
public record ImageHeader(String format, int width, int height, int depth) {

  public static ImageHeader read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    if (b0 == 0xFF && b1 == 0xD8) {
      return jpeg(in);
    }
    if (b0 == 0x89 && b1 == 'P') {
      return png(in);
    }
    throw new IOException("not a JPEG or PNG file");
  }

  private static ImageHeader jpeg(DataInputStream in) throws IOException {
    while (true) {
      int b = in.readUnsignedByte();
      if (b != 0xFF) {
        throw new IOException("corrupt JPEG: expected a marker");
      }
      int marker = in.readUnsignedByte();
      while (marker == 0xFF) { // fill bytes
        marker = in.readUnsignedByte();
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // markers without a length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new IOException("corrupt JPEG: no SOF segment before the image data");
      }
      int length = in.readUnsignedShort();
      boolean sof =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        in.readUnsignedByte(); // sample precision
        int height = in.readUnsignedShort();
        int width = in.readUnsignedShort();
        int components = in.readUnsignedByte();
        return new ImageHeader("jpeg", width, height, components);
      }
      skipFully(in, length - 2);
    }
  }

  private static ImageHeader png(DataInputStream in) throws IOException {
    byte[] rest = new byte[6];
    in.readFully(rest); // "NG\r\n\032\n"
    in.readInt(); // IHDR length
    if (in.readInt() != 0x49484452) {
      throw new IOException("corrupt PNG: IHDR is not the first chunk");
    }
    int width = in.readInt();
    int height = in.readInt();
    in.readUnsignedByte(); // bit depth
    int colourType = in.readUnsignedByte();
    int depth = (colourType == 0 || colourType == 4) ? 1 : 3; // gray(+alpha) : RGB, palette, RGBA
    return new ImageHeader("png", width, height, depth);
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    while (n > 0) {
      long skipped = in.skip(n);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("truncated image header");
        }
        skipped = 1;
      }
      n -= skipped;
    }
  }
}
