package org.mosaicbeam.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads a {@link CsvShard} as large chunks of whole lines, without looking at each line: the
 * scanning passes search a chunk with {@link String#indexOf}, which the JVM vectorises.
 *
 * <p>A chunk is a Latin-1 view of the raw bytes (one char per byte, a plain copy): ASCII MIDs and
 * ImageIDs are found byte-exactly, and UTF-8 text is decoded properly only for the few lines that
 * are parsed ({@link #line}).
 */
final class ShardReader {
  // 256 KiB: large enough to make per-chunk costs vanish, small enough that the chunk's String is
  // an ordinary young-generation object. G1 treats objects of half a region or more as "humongous"
  // (regions are 1 MiB on small heaps), and allocating those made chunking 2.5x slower.
  static final int DEFAULT_BUFFER = 256 << 10;

  /** Receives one chunk of whole lines and the file offset of its first byte. */
  @FunctionalInterface
  interface ChunkConsumer {
    void accept(String chunk, long offset) throws IOException;
  }

  private ShardReader() {}

  static void read(CsvShard shard, ChunkConsumer consumer) throws IOException {
    read(shard, DEFAULT_BUFFER, consumer);
  }

  static void read(CsvShard shard, int bufferSize, ChunkConsumer consumer) throws IOException {
    boolean aligned = shard.start() == shard.dataStart(); // else skip the line begun in the previous shard
    long readFrom = aligned ? shard.start() : shard.start() - 1;
    byte[] buf = new byte[(int) Math.min(bufferSize, Math.max(1024, shard.end() - readFrom + 1024))];
    int filled = 0;
    long bufOffset = readFrom; // file offset of buf[0]
    try (ReadableByteChannel opened = FileSystems.open(FileSystems.matchNewResource(shard.file(), false))) {
      if (!(opened instanceof SeekableByteChannel channel)) {
        throw new IOException(shard.file() + ": the file system gives no seekable channel");
      }
      channel.position(readFrom);
      boolean eof = false;
      while (true) {
        if (filled == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than the buffer
        }
        int n = channel.read(ByteBuffer.wrap(buf, filled, buf.length - filled));
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
        }
        int from = 0;
        if (!aligned) {
          int nl = indexOf(buf, (byte) '\n', 0, filled);
          if (nl < 0) {
            if (eof) {
              return;
            }
            continue;
          }
          from = nl + 1;
          aligned = true;
        }
        // lines start at `from`; this shard owns those starting before `end`
        long endRel = shard.end() - bufOffset;
        if (endRel <= from) {
          return;
        }
        int stop; // exclusive end of the lines handed over now
        boolean done = false;
        int ownedEnd = indexOf(buf, (byte) '\n', (int) Math.max(from, Math.min(endRel - 1, filled)), filled);
        if (endRel - 1 < filled && ownedEnd >= 0) {
          stop = ownedEnd + 1; // the last owned line is complete
          done = true;
        } else if (eof) {
          stop = filled;
          done = true;
        } else {
          stop = lastIndexOf(buf, (byte) '\n', from, filled) + 1;
          if (stop == 0) {
            stop = from; // no complete line yet: read more
          }
        }
        if (stop > from) {
          consumer.accept(new String(buf, from, stop - from, StandardCharsets.ISO_8859_1), bufOffset + from);
        }
        if (done) {
          return;
        }
        System.arraycopy(buf, stop, buf, 0, filled - stop);
        bufOffset += stop;
        filled -= stop;
      }
    }
  }

  /** The line of {@code chunk} around {@code index} (without its line break), decoded as UTF-8. */
  static String line(String chunk, int lineStart, int lineEnd) {
    int end = lineEnd;
    if (end > lineStart && chunk.charAt(end - 1) == '\r') {
      end--;
    }
    return new String(chunk.substring(lineStart, end).getBytes(StandardCharsets.ISO_8859_1),
        StandardCharsets.UTF_8);
  }

  static int lineStart(String chunk, int index) {
    return chunk.lastIndexOf('\n', index - 1) + 1;
  }

  static int lineEnd(String chunk, int index) {
    int nl = chunk.indexOf('\n', index);
    return nl < 0 ? chunk.length() : nl;
  }

  private static int indexOf(byte[] buf, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] buf, byte b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
