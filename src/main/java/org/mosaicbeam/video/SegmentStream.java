package org.mosaicbeam.video;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The encoded packets of one segment, as a plain binary stream: the encoder's parameter sets
 * (extradata) and per packet its exact timestamps. Segments of one video are concatenated into the
 * final MP4 without re-encoding; keeping them as raw packets (rather than small MP4 files) means no
 * container can round or shift a timestamp on the way.
 */
public final class SegmentStream {
  private static final int MAGIC = 0x4D425331; // "MBS1"

  private SegmentStream() {}

  /** Codec facts the muxer needs; identical for all segments of a video. */
  public record Header(int width, int height, int profile, int level, byte[] extradata) {}

  /** One encoded packet; timestamps in the source video stream's time base. */
  public record Packet(long pts, long dts, long duration, boolean key, byte[] data) {}

  public static void writeHeader(DataOutputStream out, Header h) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(h.width());
    out.writeInt(h.height());
    out.writeInt(h.profile());
    out.writeInt(h.level());
    out.writeInt(h.extradata().length);
    out.write(h.extradata());
  }

  public static void writePacket(DataOutputStream out, Packet p) throws IOException {
    out.writeInt(p.data().length);
    out.writeLong(p.pts());
    out.writeLong(p.dts());
    out.writeLong(p.duration());
    out.writeBoolean(p.key());
    out.write(p.data());
  }

  /** Marks a complete segment: a reader that misses it knows the segment was cut short. */
  public static void writeEnd(DataOutputStream out, long packets) throws IOException {
    out.writeInt(-1);
    out.writeLong(packets);
  }

  public static Header readHeader(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a segment stream");
    }
    int w = in.readInt();
    int h = in.readInt();
    int profile = in.readInt();
    int level = in.readInt();
    byte[] extra = new byte[in.readInt()];
    in.readFully(extra);
    return new Header(w, h, profile, level, extra);
  }

  /** The next packet, or null at the end marker; throws if the stream ends without one. */
  public static Packet readPacket(DataInputStream in) throws IOException {
    int size;
    try {
      size = in.readInt();
    } catch (EOFException e) {
      throw new IOException("segment stream truncated (no end marker)", e);
    }
    if (size < 0) {
      in.readLong();
      return null;
    }
    long pts = in.readLong();
    long dts = in.readLong();
    long duration = in.readLong();
    boolean key = in.readBoolean();
    byte[] data = new byte[size];
    in.readFully(data);
    return new Packet(pts, dts, duration, key, data);
  }
}
