package org.mosaicbeam.dataset;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * One image file → its {@link ImageLocation} (header facts, or why it cannot be used) and, when the
 * file itself is bad, a {@link DeadLetter}. Reads the header and the last bytes only, never the
 * pixels: a file larger than --maxImageBytes is not opened at all, and a JPEG cut short keeps a
 * valid header, so only its end tells (a JPEG ends with the EOI marker FF D9, a PNG with its IEND
 * chunk). Any Beam FileSystems path: local and s3:// channels are seekable, so the end is one seek
 * (one ranged GET on S3).
 */
final class ImageCheck {
  /** The checked result of one file. */
  record Result(ImageLocation location, DeadLetter deadLetter) {}

  /** Bytes read from the end: enough for the trailing NUL padding some encoders add after EOI. */
  static final int TAIL_BYTES = 4096;

  private static final byte[] PNG_IEND = {
    0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82
  };

  private ImageCheck() {}

  static Result inspect(String imageId, MatchResult.Metadata file, long maxImageBytes) {
    String path = file.resourceId().toString();
    long size = file.sizeBytes();
    if (size > maxImageBytes) {
      String why = "image file of " + size + " bytes, over --maxImageBytes=" + maxImageBytes;
      return new Result(
          ImageLocation.unusable(imageId, path, size, why),
          new DeadLetter(path, -1, DeadLetter.Kind.TOO_LARGE, why, imageId));
    }
    ImageHeader header;
    byte[] tail;
    try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 13);
      header = ImageHeader.read(in);
      tail = tail(channel, in, size);
    } catch (EOFException e) {
      return truncated(imageId, path, size, "the file ends inside its header");
    } catch (IOException e) {
      return new Result(ImageLocation.unreadable(imageId, path, e.getMessage()), null);
    }
    String cut = header.format().equals("png") ? pngEnd(tail) : jpegEnd(tail);
    if (cut != null) {
      return truncated(imageId, path, size, cut);
    }
    return new Result(ImageLocation.found(imageId, path, size, header), null);
  }

  private static Result truncated(String imageId, String path, long size, String why) {
    String reason = "truncated image: " + why;
    return new Result(
        ImageLocation.unusable(imageId, path, size, reason + " (" + path + ")"),
        new DeadLetter(path, -1, DeadLetter.Kind.TRUNCATED, reason, imageId));
  }

  /** Why a JPEG's last bytes are not its EOI marker (trailing NUL padding allowed), or null. */
  static String jpegEnd(byte[] tail) {
    int end = tail.length;
    while (end > 0 && tail[end - 1] == 0) {
      end--;
    }
    // Inside the entropy-coded data every FF is followed by 00 or a restart marker, so FF D9 at
    // the end cannot come from a file cut in the middle of its scan.
    if (end >= 2 && (tail[end - 2] & 0xFF) == 0xFF && (tail[end - 1] & 0xFF) == 0xD9) {
      return null;
    }
    return "the JPEG does not end with its EOI marker (FF D9)";
  }

  /** Why a PNG's last chunk is not IEND, or null. */
  static String pngEnd(byte[] tail) {
    if (tail.length >= PNG_IEND.length
        && Arrays.equals(
            tail, tail.length - PNG_IEND.length, tail.length, PNG_IEND, 0, PNG_IEND.length)) {
      return null;
    }
    return "the PNG does not end with its IEND chunk";
  }

  /** The last {@link #TAIL_BYTES} of the file (fewer when it is shorter). */
  private static byte[] tail(ReadableByteChannel channel, InputStream in, long size)
      throws IOException {
    int length = (int) Math.min(TAIL_BYTES, size);
    if (channel instanceof SeekableByteChannel seekable) {
      seekable.position(size - length);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && seekable.read(buffer) >= 0) {
        // read until full or the end
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
    // not seekable: stream to the end keeping the last bytes
    byte[] rest = in.readAllBytes(); // at most --maxImageBytes
    return Arrays.copyOfRange(rest, Math.max(0, rest.length - length), rest.length);
  }
}
