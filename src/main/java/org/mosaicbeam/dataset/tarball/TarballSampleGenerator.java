package org.mosaicbeam.dataset.tarball;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes an Open-Images-shaped image tarball for benchmarks: {@code train_0/<ImageID>.jpg} members
 * holding real JPEGs (about as incompressible as OID's), plus the list of "selected" ImageIDs.
 *
 * <p>Usage: {@code scripts/mosaicbeam generate-tarball-sample OUT.tar.gz IMAGES SELECTED_EVERY
 * SELECTED_IDS.txt}. To stay fast it encodes 256 distinct JPEGs and makes every member unique with
 * its own JPEG comment segment; copies of one base image are megabytes apart, beyond gzip's 32 KiB
 * window, so they compress no better than distinct photos would.
 */
public final class TarballSampleGenerator {
  private TarballSampleGenerator() {}

  public static void main(String[] args) throws IOException {
    String usage =
        "usage: scripts/mosaicbeam generate-tarball-sample OUT.tar.gz IMAGES SELECTED_EVERY "
            + "SELECTED_IDS.txt";
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(usage);
      return;
    }
    if (args.length != 4) {
      System.err.println(usage);
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int images = Integer.parseInt(args[1]);
    int every = Integer.parseInt(args[2]);
    List<String> selected = write(out, images, every);
    Files.write(Path.of(args[3]), selected, StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "wrote %s: %d images, %.2f GB, %d selected%n",
        out,
        images,
        Files.size(out) / 1e9,
        selected.size());
  }

  /** Writes the tarball; returns the ImageIDs of every {@code every}-th image. */
  static List<String> write(Path out, int images, int every) throws IOException {
    List<byte[]> bases = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 256; i++) {
      bases.add(jpeg(random, 448, 336)); // ~60 KB each, like OID thumbnails-to-full-size mix
    }
    GzipParameters gzip = new GzipParameters();
    gzip.setCompressionLevel(Deflater.BEST_SPEED); // inflating costs the same whatever the level
    List<String> selected = new ArrayList<>();
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(file, gzip))) {
      tar.putArchiveEntry(new TarArchiveEntry("train_0/"));
      tar.closeArchiveEntry();
      for (int i = 0; i < images; i++) {
        String id = imageId(i);
        byte[] body = withComment(bases.get(i % bases.size()), "mosaicbeam sample " + id);
        TarArchiveEntry entry = new TarArchiveEntry("train_0/" + id + ".jpg");
        entry.setSize(body.length);
        tar.putArchiveEntry(entry);
        tar.write(body);
        tar.closeArchiveEntry();
        if (i % every == 0) {
          selected.add(id);
        }
      }
    }
    return selected;
  }

  /** OID-like 16-hex-digit ImageIDs, deterministic and spread out. */
  static String imageId(int i) {
    long x = (i + 1) * 0x9E3779B97F4A7C15L;
    x ^= x >>> 31;
    return String.format(Locale.ROOT, "%016x", x);
  }

  private static byte[] jpeg(Random random, int w, int h) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int base = random.nextInt(0xffffff);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int noise = random.nextInt(64);
        int r = ((base >> 16) + x + noise) & 0xff;
        int g = ((base >> 8) + y + noise) & 0xff;
        int b = (base + x * y / 64 + noise) & 0xff;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", bytes);
    return bytes.toByteArray();
  }

  /** Inserts a COM segment right after the JPEG's SOI marker. */
  private static byte[] withComment(byte[] jpeg, String comment) {
    byte[] text = comment.getBytes(StandardCharsets.US_ASCII);
    int length = text.length + 2;
    byte[] out = new byte[jpeg.length + 2 + length];
    out[0] = jpeg[0];
    out[1] = jpeg[1];
    out[2] = (byte) 0xFF;
    out[3] = (byte) 0xFE;
    out[4] = (byte) (length >> 8);
    out[5] = (byte) length;
    System.arraycopy(text, 0, out, 6, text.length);
    System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
    return out;
  }
}
