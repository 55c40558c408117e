package org.mosaicbeam.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads a {@link CsvShard} as large {@link Chunk}s of whole lines, without looking at each line:
 * the scanning passes search a chunk's bytes themselves ({@link ByteSearch}, {@link MidSearch}).
 */
final class ShardReader {
  // 256 KiB: large enough to make per-chunk costs vanish, small enough to stay in the CPU caches
  // while both the reader and a pass touch it.
  static final int DEFAULT_BUFFER = 256 << 10;

  /** Receives one chunk of whole lines; the chunk's bytes are reused once it returns. */
  @FunctionalInterface
  interface ChunkConsumer {
    void accept(Chunk chunk) throws IOException;
  }

  private ShardReader() {}

  static void read(CsvShard shard, ChunkConsumer consumer) throws IOException {
    read(shard, DEFAULT_BUFFER, consumer);
  }

  static void read(CsvShard shard, int bufferSize, ChunkConsumer consumer) throws IOException {
    boolean aligned =
        shard.start() == shard.dataStart(); // else skip the line begun in the previous shard
    long readFrom = aligned ? shard.start() : shard.start() - 1;
    byte[] buf =
        new byte[(int) Math.min(bufferSize, Math.max(1024, shard.end() - readFrom + 1024))];
    int filled = 0;
    long bufOffset = readFrom; // file offset of buf[0]
    try (ReadableByteChannel opened =
        FileSystems.open(FileSystems.matchNewResource(shard.file(), false))) {
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
          int nl = ByteSearch.indexOf(buf, (byte) '\n', 0, filled);
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
        int ownedEnd =
            ByteSearch.indexOf(
                buf, (byte) '\n', (int) Math.max(from, Math.min(endRel - 1, filled)), filled);
        if (endRel - 1 < filled && ownedEnd >= 0) {
          stop = ownedEnd + 1; // the last owned line is complete
          done = true;
        } else if (eof) {
          stop = filled;
          done = true;
        } else {
          stop = ByteSearch.lastIndexOf(buf, (byte) '\n', from, filled) + 1;
          if (stop == 0) {
            stop = from; // no complete line yet: read more
          }
        }
        if (stop > from) {
          consumer.accept(new Chunk(buf, from, stop, bufOffset + from));
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
}
